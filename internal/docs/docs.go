// Package docs renders the site's Markdown pages to HTML once, at start-up.
package docs

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Page is one rendered Markdown page.
type Page struct {
	Title string // the text of the first "# " heading
	HTML  string // trusted: rendered from the shipped Markdown, raw HTML disabled
}

// Load renders every *.md file in the root of fsys, keyed by its name
// without the extension ("about.md" is "about").
func Load(fsys fs.FS) (map[string]Page, error) {
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Typographer))
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, fmt.Errorf("docs: %w", err)
	}
	pages := make(map[string]Page, len(names))
	for _, name := range names {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("docs: %s: %w", name, err)
		}
		var buf bytes.Buffer
		if err := md.Convert(src, &buf); err != nil {
			return nil, fmt.Errorf("docs: %s: %w", name, err)
		}
		pages[strings.TrimSuffix(name, path.Ext(name))] = Page{Title: title(src), HTML: buf.String()}
	}
	return pages, nil
}

// title returns the first level-one heading of a Markdown source.
func title(src []byte) string {
	for line := range strings.Lines(string(src)) {
		if t, ok := strings.CutPrefix(line, "# "); ok {
			return strings.TrimSpace(t)
		}
	}
	return ""
}
