package main

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/export"
	"github.com/transcripts/site/internal/search"
	"github.com/transcripts/site/views"
)

// videosPerPage fills a grid of 2, 3 or 4 columns evenly.
const videosPerPage = 24

// maxCatalogPage bounds ?page= before any query runs.
const maxCatalogPage = 100_000

// catalogRequest is a page of the catalog as its URL asks for it.
type catalogRequest struct {
	page    int
	sort    catalog.VideoSort // never ""
	channel string            // a channel's id, or "" for every video
}

// parseCatalogRequest reads ?page=, ?sort= and ?channel= (the channel of
// /channels/ID comes from its path instead).
func parseCatalogRequest(c echo.Context, channel string) (catalogRequest, error) {
	r := catalogRequest{sort: catalog.SortNewest, channel: channel}
	var err error
	if r.page, err = parsePage(c.QueryParam("page"), maxCatalogPage); err != nil {
		return r, err
	}
	if s := catalog.VideoSort(c.QueryParam("sort")); s != "" {
		if !slices.Contains(catalog.VideoSorts, s) {
			return r, badRequest("The order sort must be newest, oldest, title or length.")
		}
		r.sort = s
	}
	if ch := c.QueryParam("channel"); ch != "" && r.channel == "" {
		if !catalog.ValidChannelID(ch) {
			return r, badRequest("The channel must be a channel's id, as in the links of /channels.")
		}
		r.channel = ch
	}
	return r, nil
}

// catalogPage fetches the page of the catalog r asks for, for the home
// page, a channel's page and their JSON twins.
func (s *server) catalogPage(c echo.Context, r catalogRequest) (totals catalog.Totals, videos []catalog.Video, err error) {
	ctx := c.Request().Context()
	if totals, err = s.catalog.CountVideos(ctx, r.channel); err != nil {
		return
	}
	videos, err = s.catalog.FindVideos(ctx, catalog.VideoQuery{ChannelID: r.channel, Sort: r.sort, Offset: (r.page - 1) * videosPerPage, Limit: videosPerPage})
	return
}

// homePage lists the catalog, a page of videos at a time, in the order
// asked for, of one channel when asked.
func (s *server) homePage(c echo.Context) error {
	r, err := parseCatalogRequest(c, "")
	if err != nil {
		return err
	}
	head, err := s.channelOf(c, r)
	if err != nil {
		return err
	}
	return s.listing(c, "/", r, head)
}

// channelOf is the channel a catalog request is filtered by, or nil.
func (s *server) channelOf(c echo.Context, r catalogRequest) (*catalog.Channel, error) {
	if r.channel == "" {
		return nil, nil
	}
	ch, err := s.catalog.Channel(c.Request().Context(), r.channel)
	if err != nil {
		return nil, err
	}
	return &ch, nil
}

// listing renders a page of the catalog at path (/ or a channel's page).
func (s *server) listing(c echo.Context, path string, r catalogRequest, head *catalog.Channel) error {
	totals, videos, err := s.catalogPage(c, r)
	if err != nil {
		return err
	}
	channels, err := s.catalog.Channels(c.Request().Context())
	if err != nil {
		return err
	}
	status := http.StatusOK
	if len(videos) == 0 && r.page > 1 {
		status = http.StatusNotFound
	}
	query := c.Request().URL.Query()
	if path != "/" {
		query.Del("channel") // the path names it
	}
	m := homeModel(path, query, r, totals, videos, channels, head)
	title, description := "", "Find the moment in a video where something was said."
	if head != nil {
		title = head.Name
		description = "Transcripts of " + plural(head.Videos, "video", "videos") + " from " + head.Name + "."
	}
	if r.page > 1 {
		title = m.Heading + ", page " + count(r.page)
	}
	chrome := s.chrome(c, title, description, "")
	chrome.Canonical = s.absolute(c, pageURL(path, listingParams(query), r.page))
	chrome.Alternates = []views.Alternate{{Type: "application/json", Href: pageURL(jsonPath(path), listingParams(query), r.page), Title: "This page as JSON"}}
	return s.render(c, status, views.HomePage(chrome, m))
}

// jsonPath is the JSON twin of a listing's path.
func jsonPath(path string) string {
	if path == "/" {
		return "/videos.json"
	}
	return path + ".json"
}

// listingParams keeps the parameters that choose a listing's page, so
// its links carry nothing else.
func listingParams(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range []string{"sort", "channel", "page"} {
		if v := q.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	return out
}

// sortLabels name the catalog's orders.
var sortLabels = map[catalog.VideoSort]string{
	catalog.SortNewest: "newest", catalog.SortOldest: "oldest", catalog.SortTitle: "title", catalog.SortLength: "length",
}

// homeModel maps a page of the catalog to the view.
func homeModel(path string, query url.Values, r catalogRequest, totals catalog.Totals, videos []catalog.Video, channels []catalog.Channel, head *catalog.Channel) views.Home {
	pages := search.PageCount(totals.Videos, videosPerPage)
	params := listingParams(query)
	m := views.Home{
		Heading:      "Videos",
		Summary:      plural(totals.Videos, "video", "videos") + " · " + plural(totals.Segments, "transcript line", "transcript lines") + " to search",
		Pager:        pager(path, params, r.page, pages),
		FilterAction: "/",
		SortParam:    params.Get("sort"),
		// An empty catalog is one page, with nothing on it.
		EmptyCatalog: totals.Videos == 0 && head == nil,
	}
	if head != nil {
		m.Heading = head.Name
		m.Channel = &views.ChannelHead{AllURL: "/", Latest: dateOf(head.Latest)}
		if youTubeChannel(head.ID) {
			m.Channel.YouTubeURL = "https://www.youtube.com/channel/" + head.ID
		}
	}
	for _, sort := range catalog.VideoSorts {
		q := cloneValues(params)
		q.Del("page")
		q.Set("sort", string(sort))
		if sort == catalog.SortNewest {
			q.Del("sort")
		}
		m.Sorts = append(m.Sorts, views.Option{Label: sortLabels[sort], URL: withQuery(path, q), Current: sort == r.sort})
	}
	for _, ch := range channels {
		m.Channels = append(m.Channels, views.ChannelChoice{ID: ch.ID, Name: ch.Name, Selected: ch.ID == r.channel})
	}
	for _, v := range videos {
		m.Videos = append(m.Videos, videoCard(v))
	}
	return m
}

// videoCard maps a video to its card in a grid.
func videoCard(v catalog.Video) views.VideoCard {
	card := views.VideoCard{
		URL:       videoURL(v.ID),
		Title:     displayTitle(v.ID, v.Title),
		Thumbnail: v.Thumbnail,
		Length:    export.Clock(v.Duration),
		Segments:  plural(v.Segments, "line", "lines"),
		Published: dateOf(v.Published),
	}
	if v.ChannelID != "" {
		card.Channel, card.ChannelURL = v.Channel, channelURL(v.ChannelID)
	}
	return card
}

// dateOf shows a publication day; the zero time is unknown.
func dateOf(t time.Time) views.Date {
	if t.IsZero() {
		return views.Date{}
	}
	return views.Date{Text: t.Format("2 Jan 2006"), Datetime: t.Format(time.DateOnly)}
}

// youTubeChannel reports whether a channel's id is YouTube's own (UC and
// 22 characters) rather than one derived from its name.
func youTubeChannel(id string) bool {
	return len(id) == 24 && id[:2] == "UC"
}
