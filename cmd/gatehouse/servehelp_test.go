package main

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
)

// `serve --help` shows every flag once, under its concern, with its
// environment variable; none falls into "Other".
func TestServeHelp(t *testing.T) {
	var stdout, stderr strings.Builder
	if code := run(context.Background(), []string{"serve", "--help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("serve --help: exit %d\n%s", code, stderr.String())
	}
	help := stderr.String()
	if strings.Contains(help, "\nOther:") {
		t.Fatalf("flags in no group of serveHelpGroups:\n%s", help[strings.Index(help, "\nOther:"):])
	}
	for _, g := range serveHelpGroups {
		if !strings.Contains(help, "\n"+g.title+":\n") {
			t.Errorf("group %q missing", g.title)
		}
		for _, name := range g.flags {
			if n := strings.Count(help, "  --"+name+" ") + strings.Count(help, "  --"+name+"\n"); n != 1 {
				t.Errorf("--%s shown %d times, want once (is it still a serve flag?)", name, n)
			}
			if !strings.Contains(help, "env "+envName(name)+"\n") {
				t.Errorf("--%s: no env %s", name, envName(name))
			}
		}
	}
}

// The README's table names every serve flag with its environment variable,
// one row each.
func TestREADMEListsEveryServeFlag(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range serveHelpGroups {
		for _, name := range g.flags {
			row := regexp.MustCompile("(?m)^\\| `--" + regexp.QuoteMeta(name) + "` \\| `" + envName(name) + "`")
			if !row.Match(readme) {
				t.Errorf("README: no row for --%s with `%s`", name, envName(name))
			}
		}
	}
}
