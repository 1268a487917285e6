// Package syndication writes the XML documents other software reads: an
// Atom feed, an OpenSearch description and a sitemap.
package syndication

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

// Feed is an Atom feed (RFC 4287).
type Feed struct {
	XMLName  xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID       string   `xml:"id"`
	Title    string   `xml:"title"`
	Subtitle string   `xml:"subtitle,omitempty"`
	Updated  Time     `xml:"updated"`
	Author   Person   `xml:"author"`
	Links    []Link   `xml:"link"`
	Entries  []Entry  `xml:"entry"`
}

// Entry is one item of a feed.
type Entry struct {
	ID      string `xml:"id"`
	Title   string `xml:"title"`
	Updated Time   `xml:"updated"`
	// Published is when the video was published, when known (Atom's
	// published: the entry's original date, beside when it last changed).
	Published *Time  `xml:"published,omitempty"`
	Links     []Link `xml:"link"`
	Summary   string `xml:"summary"`
}

// Link is an Atom link.
type Link struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

// Person is an Atom author.
type Person struct {
	Name string `xml:"name"`
}

// Time is written as RFC 3339, as Atom requires.
type Time time.Time

// MarshalText writes t as RFC 3339 in UTC.
func (t Time) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).UTC().Format(time.RFC3339)), nil
}

// OpenSearch is an OpenSearch 1.1 description: how a browser searches the
// site.
type OpenSearch struct {
	XMLName       xml.Name        `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
	ShortName     string          `xml:"ShortName"`
	Description   string          `xml:"Description"`
	InputEncoding string          `xml:"InputEncoding"`
	Image         *OpenSearchIcon `xml:"Image,omitempty"`
	URLs          []OpenSearchURL `xml:"Url"`
}

// OpenSearchURL is a search URL template with {searchTerms}.
type OpenSearchURL struct {
	Type     string `xml:"type,attr"`
	Rel      string `xml:"rel,attr,omitempty"`
	Method   string `xml:"method,attr,omitempty"`
	Template string `xml:"template,attr"`
}

// OpenSearchIcon is the site's icon.
type OpenSearchIcon struct {
	Width  int    `xml:"width,attr"`
	Height int    `xml:"height,attr"`
	Type   string `xml:"type,attr"`
	URL    string `xml:",chardata"`
}

// Sitemap lists the pages crawlers should read (sitemaps.org 0.9).
type Sitemap struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []SitemapURL `xml:"url"`
}

// MaxSitemapURLs is the most URLs one sitemap may list.
const MaxSitemapURLs = 50000

// SitemapURL is one page of a sitemap.
type SitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"` // YYYY-MM-DD
}

// Write writes doc as an XML document.
func Write(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("syndication: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
