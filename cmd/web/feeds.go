package main

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/export"
	"github.com/transcripts/site/internal/search"
	"github.com/transcripts/site/internal/syndication"

	"github.com/transcripts/site/internal/excerpt"
)

// feedEntries is how many moments a search feed lists.
const feedEntries = 50

// writeXML renders an XML document into a buffer and sends it.
func writeXML(c echo.Context, contentType string, doc any) error {
	var buf bytes.Buffer
	if err := syndication.Write(&buf, doc); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, contentType, buf.Bytes())
}

// searchAtom is an Atom feed of a search: matching moments from the most
// recently imported videos first, so a saved search shows new transcripts.
func (s *server) searchAtom(c echo.Context) error {
	r, _, err := requiredSearch(c)
	if err != nil {
		return err
	}
	q := r.Query
	r.Sort = search.Imported
	only := exportParams(r).Encode()
	feed := syndication.Feed{
		ID:       s.absolute(c, "/search.atom?"+only),
		Title:    "“" + q + "” in Transcripts",
		Subtitle: "Moments in the transcripts where “" + q + "” was said, newest imports first.",
		Author:   syndication.Person{Name: "Transcripts"},
		Links: []syndication.Link{
			{Rel: "self", Type: "application/atom+xml", Href: s.absolute(c, "/search.atom?"+only)},
			{Rel: "alternate", Type: "text/html", Href: s.absolute(c, "/search?"+only)},
		},
	}
	var updated time.Time
	err = s.search.Each(c.Request().Context(), r, feedEntries, func(h search.Hit) error {
		title := displayTitle(h.VideoID, h.Title)
		feed.Entries = append(feed.Entries, syndication.Entry{
			ID:      s.absolute(c, lineURL(h.VideoID, h.Start)),
			Title:   fmt.Sprintf("“%s” at %s — %s", excerpt.Words(h.Text, 100), export.Clock(h.Start), title),
			Updated: syndication.Time(h.ImportedAt),
			Links: []syndication.Link{
				{Rel: "alternate", Type: "text/html", Href: s.absolute(c, searchedLineURL(h.VideoID, q, h.Start))},
				{Rel: "related", Type: "text/html", Href: catalog.WatchURL(h.VideoID, h.Moment)},
			},
			Summary:   h.Text,
			Published: publishedTime(h.Published),
		})
		if h.ImportedAt.After(updated) {
			updated = h.ImportedAt
		}
		return nil
	})
	if err != nil {
		return searchError(err)
	}
	if updated.IsZero() {
		updated = time.Unix(0, 0) // a feed with no entries has not changed
	}
	feed.Updated = syndication.Time(updated)
	return writeXML(c, "application/atom+xml; charset=utf-8", feed)
}

// openSearch describes the site's search to browsers, so they can offer it
// as a search engine.
func (s *server) openSearch(c echo.Context) error {
	return writeXML(c, "application/opensearchdescription+xml; charset=utf-8", syndication.OpenSearch{
		ShortName:     "Transcripts",
		Description:   "Find the moment in a video where something was said.",
		InputEncoding: "UTF-8",
		Image:         &syndication.OpenSearchIcon{Width: 32, Height: 32, Type: "image/svg+xml", URL: s.absolute(c, s.assets.URL("icon.svg"))},
		URLs: []syndication.OpenSearchURL{
			{Type: "text/html", Method: "get", Template: s.absolute(c, "/search?q={searchTerms}")},
			{Type: "application/json", Template: s.absolute(c, "/search.json?q={searchTerms}")},
			{Type: "application/atom+xml", Template: s.absolute(c, "/search.atom?q={searchTerms}")},
			{Type: "application/opensearchdescription+xml", Rel: "self", Template: s.absolute(c, "/opensearch.xml")},
		},
	})
}

// sitemap lists the catalog and every video page for crawlers.
func (s *server) sitemap(c echo.Context) error {
	videos, err := s.catalog.Videos(c.Request().Context(), 0, syndication.MaxSitemapURLs-1)
	if err != nil {
		return err
	}
	sm := syndication.Sitemap{URLs: []syndication.SitemapURL{{Loc: s.absolute(c, "/")}, {Loc: s.absolute(c, "/channels")}}}
	channels, err := s.catalog.Channels(c.Request().Context())
	if err != nil {
		return err
	}
	for _, ch := range channels[:min(len(channels), syndication.MaxSitemapURLs/10)] {
		u := syndication.SitemapURL{Loc: s.absolute(c, channelURL(ch.ID))}
		if !ch.Latest.IsZero() {
			// A channel's page changes when it publishes.
			u.LastMod = ch.Latest.Format(time.DateOnly)
		}
		sm.URLs = append(sm.URLs, u)
	}
	videos = videos[:min(len(videos), syndication.MaxSitemapURLs-len(sm.URLs))]
	for _, v := range videos {
		u := syndication.SitemapURL{Loc: s.absolute(c, videoURL(v.ID))}
		if !v.ImportedAt.IsZero() {
			u.LastMod = v.ImportedAt.UTC().Format(time.DateOnly)
		}
		sm.URLs = append(sm.URLs, u)
	}
	return writeXML(c, "application/xml; charset=utf-8", sm)
}

// robots lets crawlers read the catalog and videos but not crawl searches.
func (s *server) robots(c echo.Context) error {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	b.WriteString("Allow: /\n")
	b.WriteString("Disallow: /search\n")
	fmt.Fprintf(&b, "\nSitemap: %s\n", s.absolute(c, "/sitemap.xml"))
	return c.String(http.StatusOK, b.String())
}

// publishedTime is a hit's publication day for a feed, nil when unknown.
func publishedTime(day string) *syndication.Time {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return nil
	}
	t := syndication.Time(d)
	return &t
}
