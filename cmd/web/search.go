package main

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/export"
	"github.com/transcripts/site/internal/search"
	"github.com/transcripts/site/views"
)

// maxQueryBytes bounds what is read of ?q=; the rest is ignored and the
// reader told so.
const maxQueryBytes = 1000

// searchPage shows a page of results for ?q=, or how to search when q is
// empty. A query that cannot be searched is explained on the page.
func (s *server) searchPage(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	m := views.Search{Query: q}
	if len(q) > maxQueryBytes {
		q = truncateUTF8(q, maxQueryBytes)
		m.Query = q
		m.Notice = "Your search was long: only its first " + count(maxQueryBytes) + " characters were used."
	}
	chrome := s.chrome(c, "Search", "Search every transcript for the moment something was said.", q)
	if q == "" {
		return s.render(c, http.StatusOK, views.SearchPage(chrome, m))
	}
	chrome.Title = "“" + q + "” · Search"
	chrome.Description = "Moments in the transcripts where “" + q + "” was said."
	params := c.Request().URL.Query()
	chrome.Canonical = s.absolute(c, withQuery("/search", params))
	chrome.Alternates = []views.Alternate{
		{Type: "application/json", Href: withQuery("/search.json", params), Title: "These results as JSON"},
		{Type: "application/atom+xml", Href: "/search.atom?" + url.Values{"q": {q}}.Encode(), Title: "New moments matching “" + q + "”"},
	}
	page, err := parsePage(c.QueryParam("page"), search.MaxPage)
	if err != nil {
		return err
	}
	res, err := s.search.Search(c.Request().Context(), q, page)
	reason, badQuery := search.IsBadQuery(err)
	switch {
	case badQuery:
		m.Problem = reason
		return s.render(c, http.StatusOK, views.SearchPage(chrome, m))
	case errors.Is(err, context.DeadlineExceeded):
		s.log.Warn("search timed out", "q", q, "err", err)
		m.Problem = "This search took too long. Try adding a word or two to narrow it."
		return s.render(c, http.StatusServiceUnavailable, views.SearchPage(chrome, m))
	case err != nil:
		return err
	}
	searchModel(&m, params, res)
	if res.Total > 0 {
		only := url.Values{"q": {q}}.Encode()
		m.Downloads = []views.Download{
			{Label: "CSV", Href: "/search.csv?" + only},
			{Label: "clip list for yt-dlp", Href: "/search.sh?" + only},
			{Label: "Atom feed", Href: "/search.atom?" + only},
			{Label: "JSON", Href: withQuery("/search.json", params)},
		}
	}
	return s.render(c, http.StatusOK, views.SearchPage(chrome, m))
}

// searchModel maps a page of results to the view.
func searchModel(m *views.Search, query url.Values, res search.Results) {
	if res.Query.Truncated {
		m.Notice = "Only the first " + count(search.MaxTerms) + " words of your search were used."
	}
	m.Empty = res.Total == 0
	m.Summary = plural(res.Total, "moment matches", "moments match")
	if !m.Empty && len(res.Hits) == 0 {
		m.Notice = "There are no more results past page " + count(res.Pages()) + "."
	}
	if pages := res.Pages(); pages > 1 {
		m.Summary += " · page " + count(res.Page) + " of " + count(pages)
		if res.Total > pages*search.PerPage {
			m.Summary += " (the best " + count(pages*search.PerPage) + " are shown)"
		}
	}
	m.Pager = pager("/search", query, res.Page, res.Pages())
	for _, h := range res.Hits {
		hit := views.Hit{
			Title:     displayTitle(h.VideoID, h.Title),
			Thumbnail: h.Thumbnail,
			LineURL:   lineURL(h.VideoID, h.Start),
			WatchURL:  catalog.WatchURL(h.VideoID, h.Start),
			Time:      export.Clock(h.Start),
			Datetime:  isoDuration(h.Start),
		}
		for _, f := range h.Snippet {
			hit.Snippet = append(hit.Snippet, views.Fragment{Text: f.Text, Match: f.Match})
		}
		m.Hits = append(m.Hits, hit)
	}
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
