package calendar_test

import (
	"fmt"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/calendar"
)

func ExampleCalendar_AddWorkingDays() {
	cal := calendar.EnglandAndWales()
	london, _ := time.LoadLocation("Europe/London")

	// Friday before the Spring bank holiday (Monday 25 May 2026).
	received := time.Date(2026, time.May, 22, 15, 30, 0, 0, london)
	due := cal.AddWorkingDays(received, 1)

	fmt.Println(due)
	fmt.Println(due.In(london).Format("Mon 2 Jan 2006 15:04 MST"))
	// Output:
	// 2026-05-26 16:00:00 +0000 UTC
	// Tue 26 May 2026 17:00 BST
}

func ExampleWithProclamations() {
	// A new bank holiday is proclaimed: add it as data.
	extra := calendar.Proclamation{Date: "2031-06-13", Kind: calendar.KindAdded, Name: "Example holiday"}
	cal := calendar.EnglandAndWales(calendar.WithProclamations(append(calendar.Proclamations(), extra)))

	fmt.Println(cal.IsWorkingDay(time.Date(2031, time.June, 13, 12, 0, 0, 0, time.UTC)))
	// Output: false
}
