package chart

import "github.com/chromedp/chromedp"

func chromedpEval(js string) chromedp.Action[int] { return chromedp.Evaluate[int](js) }
