// Command webassets builds the web pages' assets for embedding: it reads
// the sources in SRC (the front door's own files, and GOV.UK Frontend's
// under govuk/, which `make web-assets` copies there) and writes each file
// under its hashed name to OUT, with the manifest the pages read at start
// (assets.Build). `make web-assets` runs it.
//
//	go run ./infra/cmd/webassets SRC OUT
package main

import (
	"fmt"
	"os"

	"github.com/csc-frontdoor/frontdoor/shared/web/assets"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: webassets SRC OUT")
		os.Exit(2)
	}
	if err := assets.Build(os.DirFS(os.Args[1]), os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "webassets:", err)
		os.Exit(1)
	}
}
