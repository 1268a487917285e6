// Package views holds the site's templ components and the view models they
// take. Components are pure: model in, markup out. Every URL and every
// formatted figure is computed before it reaches a component.
package views

// Chrome is what the layout around every page needs.
type Chrome struct {
	Title       string // the page's own title; the site name is appended
	Description string
	Query       string // shown in the header's search box
	CSS         string // hashed asset URLs
	JS          string
	Icon        string
}

// Pager links to the neighbouring pages of a paginated list; an empty URL
// means there is no such page.
type Pager struct {
	Page  int
	Pages int
	Prev  string
	Next  string
}

// VideoCard is one video in the catalog grid.
type VideoCard struct {
	URL       string
	Title     string
	Thumbnail string
	Length    string // "1:02:03" or "14:58"
	Segments  string // "34 lines"
}

// Home is the catalog page.
type Home struct {
	Summary string // "4 videos, 100 transcript lines"
	Videos  []VideoCard
	Pager   Pager
}

// Line is one transcript line of a video page.
type Line struct {
	Anchor   string // "t898", the fragment that targets this line
	Time     string // "14:58"
	Datetime string // "PT14M58S"
	WatchURL string // the moment on YouTube
	Text     string
}

// Video is the page of one video and its transcript.
type Video struct {
	Title     string
	Thumbnail string
	WatchURL  string
	Meta      string // "30:03 · 34 lines"
	Lines     []Line
}

// Fragment is a piece of a search snippet, highlighted when Match.
type Fragment struct {
	Text  string
	Match bool
}

// Hit is one search result.
type Hit struct {
	Title     string
	Thumbnail string
	LineURL   string // the line in our video page
	WatchURL  string // the moment on YouTube
	Time      string
	Datetime  string
	Snippet   []Fragment
}

// Search is the results page; with no query it shows the syntax help.
type Search struct {
	Query   string
	Problem string // a reader-facing reason the query could not run
	Notice  string // e.g. words ignored past the limit
	Summary string // "27 moments match" (empty without a query)
	Hits    []Hit
	Pager   Pager
	Empty   bool // the query ran and nothing matched
}

// Doc is a page rendered from the shipped Markdown.
type Doc struct {
	HTML string // trusted HTML from goldmark
}

// Error is a page for a failed request.
type Error struct {
	Status  int
	Heading string
	Message string
}
