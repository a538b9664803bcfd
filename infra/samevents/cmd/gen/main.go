// Command gen writes the sample events for `sam local invoke -e`
// (events/api/*.json and their README) and env.json, from template.yaml,
// api/openapi.yaml and the body samples under events/.
//
// Usage, from the project root:
//
//	go run ./infra/samevents/cmd/gen          write the files
//	go run ./infra/samevents/cmd/gen -check   only say which files are out of date (exit 1 if any)
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/csc-frontdoor/frontdoor/infra/samevents"
)

func main() {
	root := flag.String("root", ".", "the project root (where template.yaml is)")
	check := flag.Bool("check", false, "write nothing; list the files that are out of date and exit 1 if any are")
	flag.Parse()
	if err := run(*root, *check); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(root string, check bool) error {
	files, err := samevents.Generate(root)
	if err != nil {
		return err
	}
	diff, err := files.Diff(root)
	if err != nil {
		return err
	}
	if check {
		for _, d := range diff {
			fmt.Println(d)
		}
		if len(diff) > 0 {
			return fmt.Errorf("%d files out of date: run go run ./infra/samevents/cmd/gen", len(diff))
		}
		return nil
	}
	if err := files.Write(root); err != nil {
		return err
	}
	fmt.Printf("%d files written (%d had changed)\n", len(files), len(diff))
	return nil
}
