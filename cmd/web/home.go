package main

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/export"
	"github.com/transcripts/site/views"
)

// videosPerPage fills a grid of 2, 3 or 4 columns evenly.
const videosPerPage = 24

// maxCatalogPage bounds ?page= before any query runs.
const maxCatalogPage = 100_000

// catalogPage reads ?page= and fetches that page of the catalog, for the
// home page and its JSON twin.
func (s *server) catalogPage(c echo.Context) (page int, totals catalog.Totals, videos []catalog.Video, err error) {
	if page, err = parsePage(c.QueryParam("page"), maxCatalogPage); err != nil {
		return
	}
	ctx := c.Request().Context()
	if totals, err = s.catalog.Totals(ctx); err != nil {
		return
	}
	videos, err = s.catalog.Videos(ctx, (page-1)*videosPerPage, videosPerPage)
	return
}

// homePage lists the catalog, a page of videos at a time.
func (s *server) homePage(c echo.Context) error {
	page, totals, videos, err := s.catalogPage(c)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if len(videos) == 0 && page > 1 {
		status = http.StatusNotFound
	}
	m := homeModel(c.Request().URL.Query(), page, totals, videos)
	title := ""
	if page > 1 {
		title = "Videos, page " + count(page)
	}
	chrome := s.chrome(c, title, "Find the moment in a video where something was said.", "")
	chrome.Canonical = s.absolute(c, pageURL("/", nil, page))
	chrome.Alternates = []views.Alternate{{Type: "application/json", Href: pageURL("/videos.json", nil, page), Title: "This page as JSON"}}
	return s.render(c, status, views.HomePage(chrome, m))
}

// homeModel maps a page of the catalog to the view.
func homeModel(query url.Values, page int, totals catalog.Totals, videos []catalog.Video) views.Home {
	pages := pageCount(totals.Videos, videosPerPage)
	m := views.Home{
		Summary: plural(totals.Videos, "video", "videos") + " · " + plural(totals.Segments, "transcript line", "transcript lines") + " to search",
		Pager:   pager("/", query, page, pages),
		// An empty catalog is one page, with nothing on it.
		EmptyCatalog: totals.Videos == 0,
	}
	for _, v := range videos {
		m.Videos = append(m.Videos, views.VideoCard{
			URL:       videoURL(v.ID),
			Title:     displayTitle(v.ID, v.Title),
			Thumbnail: v.Thumbnail,
			Length:    export.Clock(v.Duration),
			Segments:  plural(v.Segments, "line", "lines"),
		})
	}
	return m
}
