package main

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/search"
	"github.com/transcripts/site/views"
)

// The JSON API: every page has a twin with the same parameters
// (/videos.json, /videos/ID.json, /search.json). The shapes below are the
// documented schema (README.md, "JSON API"); add fields, never rename.

// apiError is the body of every JSON error.
type apiError struct {
	Status int    `json:"status"`
	Error  string `json:"error"`
}

// apiVideo is a video as the API describes it.
type apiVideo struct {
	ID              string    `json:"id"`
	Title           string    `json:"title"` // as shown: "Untitled video (ID)" when the data has none
	Thumbnail       string    `json:"thumbnail"`
	DurationSeconds int       `json:"duration_seconds"`
	SegmentCount    int       `json:"segment_count"`
	ImportedAt      time.Time `json:"imported_at"`
	URL             string    `json:"url"`         // our page
	YouTubeURL      string    `json:"youtube_url"` // the video on YouTube
	// What the source says about the video; each is left out when unknown.
	ChannelID   string   `json:"channel_id,omitempty"`
	Channel     string   `json:"channel,omitempty"`
	ChannelURL  string   `json:"channel_url,omitempty"` // our page of the channel
	Published   string   `json:"published,omitempty"`   // YYYY-MM-DD
	Description string   `json:"description,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	Language    string   `json:"language,omitempty"`
}

// apiChapter is a chapter of a video.
type apiChapter struct {
	StartSecond int    `json:"start_second"`
	Title       string `json:"title"`
	URL         string `json:"url"` // the chapter's heading on our page
	YouTubeURL  string `json:"youtube_url"`
}

// apiSegment is one transcript line.
type apiSegment struct {
	StartSecond int    `json:"start_second"`
	EndSecond   int    `json:"end_second"`
	Text        string `json:"text"`
	Speaker     string `json:"speaker,omitempty"` // who says it, when the transcript names them
	URL         string `json:"url"`               // the line on our page
	YouTubeURL  string `json:"youtube_url"`       // the moment on YouTube
	// Repeated: the line is repeated text (a sponsor read, an intro said
	// in many videos), said in RepeatVideos videos, this one included
	// (0 when not repeated).
	Repeated     bool `json:"repeated"`
	RepeatVideos int  `json:"repeat_videos"`
}

// apiVideos is /videos.json: a page of the catalog.
type apiVideos struct {
	Videos     []apiVideo  `json:"videos"`
	Total      int         `json:"total"`
	TotalLines int         `json:"total_segments"`
	Page       int         `json:"page"`
	Pages      int         `json:"pages"`
	Next       string      `json:"next,omitempty"`
	Prev       string      `json:"prev,omitempty"`
	Sort       string      `json:"sort"`              // newest, oldest, title or length
	Channel    *apiChannel `json:"channel,omitempty"` // on a channel's page, or with ?channel=
}

// apiChannel is a channel of the catalog.
type apiChannel struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Videos int    `json:"videos"`
	Latest string `json:"latest,omitempty"` // YYYY-MM-DD, its newest video's publication
	URL    string `json:"url"`
}

// apiTranscript is /videos/ID.json.
type apiTranscript struct {
	Video    apiVideo     `json:"video"`
	Chapters []apiChapter `json:"chapters"`
	Segments []apiSegment `json:"segments"`
}

// apiHit is one search result.
type apiHit struct {
	VideoID      string   `json:"video_id"`
	Title        string   `json:"title"`
	Thumbnail    string   `json:"thumbnail"`
	StartSecond  int      `json:"start_second"`
	EndSecond    int      `json:"end_second"`
	MomentSecond int      `json:"moment_second"` // where the YouTube link starts
	Snippet      string   `json:"snippet"`       // plain text
	SnippetHTML  string   `json:"snippet_html"`  // escaped, matches in <mark>
	URL          string   `json:"url"`           // the line on our video page, searched for the query
	YouTubeURL   string   `json:"youtube_url"`
	Missing      []string `json:"missing,omitempty"` // in relaxed results, the query's words the line lacks
	// Repeated: the line is repeated text (a sponsor read, an intro said
	// in many videos); MoreVideos counts the other videos whose copies
	// matched and were folded into this hit, listed at CopiesURL.
	Repeated   bool   `json:"repeated"`
	MoreVideos int    `json:"more_videos,omitempty"`
	CopiesURL  string `json:"copies_url,omitempty"`
	ChannelID  string `json:"channel_id,omitempty"`
	Channel    string `json:"channel,omitempty"`
	Published  string `json:"published,omitempty"` // YYYY-MM-DD
	Speaker    string `json:"speaker,omitempty"`
	Chapter    string `json:"chapter,omitempty"`
}

// apiBucket is one value of a facet (a channel, a speaker, a year).
type apiBucket struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
	URL   string `json:"url"` // these results narrowed to it, or no longer
}

// apiFilters is what narrowed a search.
type apiFilters struct {
	Channel string `json:"channel,omitempty"`
	Speaker string `json:"speaker,omitempty"`
	After   string `json:"after,omitempty"`
	Before  string `json:"before,omitempty"`
}

// apiGroup is one video's hits on a grouped results page.
type apiGroup struct {
	VideoID string   `json:"video_id"`
	Title   string   `json:"title"`
	Count   int      `json:"count"`
	URL     string   `json:"url"` // the video page searched for the query
	Hits    []apiHit `json:"hits"`
}

// apiFacet is a video with its number of matching segments.
type apiFacet struct {
	VideoID string `json:"video_id"`
	Title   string `json:"title"`
	Count   int    `json:"count"`
	URL     string `json:"url"` // these results limited to (or no longer to) the video
}

// apiSearch is /search.json.
type apiSearch struct {
	Query    string `json:"query"`
	Total    int    `json:"total"`
	Capped   bool   `json:"capped"`   // more than total match; only the best are ranked
	Unranked bool   `json:"unranked"` // not ranked (words in most segments): the newest are listed first
	Videos   int    `json:"videos"`
	// VideosMore: more videos than videos may match (capped); later
	// grouped pages find them.
	VideosMore bool       `json:"videos_more"`
	Page       int        `json:"page"`
	Pages      int        `json:"pages"`
	PerPage    int        `json:"per_page"`
	Grouped    bool       `json:"grouped"`
	Hits       []apiHit   `json:"hits"`
	Groups     []apiGroup `json:"groups,omitempty"`
	Facets     []apiFacet `json:"facets"`
	Next       string     `json:"next,omitempty"`
	Prev       string     `json:"prev,omitempty"`
	Notices    []string   `json:"notices"` // what the page says about these results, e.g. words ignored
	// Relaxed: no line has every word; hits hold most of the meaningful
	// ones and name those they lack (missing).
	Relaxed bool `json:"relaxed"`
	// Repeated counts the matches in repeated text (sponsor reads,
	// intros), which rank below conversation.
	Repeated int `json:"repeated"`
	// Filters narrowed the search (URL parameters and operators typed in
	// the query); the facets count the results by channel, speaker and
	// year of publication.
	Filters       apiFilters  `json:"filters"`
	ChannelFacets []apiBucket `json:"channel_facets"`
	SpeakerFacets []apiBucket `json:"speaker_facets"`
	YearFacets    []apiBucket `json:"year_facets"`
	// Corrected is the query searched, misspelt words corrected, when it
	// was; query stays what was typed.
	Corrected string `json:"corrected,omitempty"`
}

func (s *server) apiVideo(c echo.Context, v catalog.Video) apiVideo {
	out := apiVideo{
		ID:              v.ID,
		Title:           displayTitle(v.ID, v.Title),
		Thumbnail:       v.Thumbnail,
		DurationSeconds: v.Duration,
		SegmentCount:    v.Segments,
		ImportedAt:      v.ImportedAt,
		URL:             s.absolute(c, videoURL(v.ID)),
		YouTubeURL:      catalog.WatchURL(v.ID, 0),
		Channel:         v.Channel,
		Published:       dateOf(v.Published).Datetime,
		Description:     v.Description,
		Tags:            v.Tags,
		Language:        v.Language,
	}
	if v.ChannelID != "" {
		out.ChannelID, out.ChannelURL = v.ChannelID, s.absolute(c, channelURL(v.ChannelID))
	}
	return out
}

func (s *server) apiChannel(c echo.Context, ch catalog.Channel) *apiChannel {
	return &apiChannel{ID: ch.ID, Name: ch.Name, Videos: ch.Videos, Latest: dateOf(ch.Latest).Datetime, URL: s.absolute(c, channelURL(ch.ID))}
}

// videosJSON is the catalog page as JSON.
func (s *server) videosJSON(c echo.Context) error {
	r, err := parseCatalogRequest(c, "")
	if err != nil {
		return err
	}
	head, err := s.channelOf(c, r)
	if err != nil {
		return err
	}
	return s.listingJSON(c, "/videos.json", r, head)
}

// listingJSON is a page of the catalog (or of a channel) as JSON.
func (s *server) listingJSON(c echo.Context, path string, r catalogRequest, head *catalog.Channel) error {
	totals, videos, err := s.catalogPage(c, r)
	if err != nil {
		return err
	}
	pages := search.PageCount(totals.Videos, videosPerPage)
	if len(videos) == 0 && r.page > 1 {
		return &pageError{status: http.StatusNotFound, message: "There are only " + count(pages) + " pages of videos."}
	}
	out := apiVideos{Videos: []apiVideo{}, Total: totals.Videos, TotalLines: totals.Segments, Page: r.page, Pages: max(pages, 1), Sort: string(r.sort)}
	if head != nil {
		out.Channel = s.apiChannel(c, *head)
	}
	for _, v := range videos {
		out.Videos = append(out.Videos, s.apiVideo(c, v))
	}
	q := listingParams(c.Request().URL.Query())
	if path != "/videos.json" {
		q.Del("channel")
	}
	p := pager(path, q, r.page, pages)
	out.Next, out.Prev = s.absoluteIf(c, p.Next), s.absoluteIf(c, p.Prev)
	return c.JSON(http.StatusOK, out)
}

// channelsJSON lists every channel as JSON.
func (s *server) channelsJSON(c echo.Context) error {
	channels, err := s.catalog.Channels(c.Request().Context())
	if err != nil {
		return err
	}
	out := struct {
		Channels []*apiChannel `json:"channels"`
	}{Channels: []*apiChannel{}}
	for _, ch := range channels {
		out.Channels = append(out.Channels, s.apiChannel(c, ch))
	}
	return c.JSON(http.StatusOK, out)
}

// videoJSON is a video page as JSON.
func (s *server) videoJSON(c echo.Context, v catalog.Video, chapters []catalog.Chapter, segs []catalog.Segment, repeats map[int64]catalog.Repeat) apiTranscript {
	out := apiTranscript{Video: s.apiVideo(c, v), Chapters: []apiChapter{}, Segments: make([]apiSegment, 0, len(segs))}
	for _, ch := range chapters {
		out.Chapters = append(out.Chapters, apiChapter{
			StartSecond: ch.Start,
			Title:       ch.Title,
			URL:         s.absolute(c, videoURL(v.ID)+"#"+chapterAnchor(ch.Start)),
			YouTubeURL:  catalog.WatchURL(v.ID, ch.Start),
		})
	}
	for _, seg := range segs {
		out.Segments = append(out.Segments, apiSegment{
			StartSecond:  seg.Start,
			EndSecond:    seg.End,
			Text:         seg.Text,
			Speaker:      seg.Speaker,
			URL:          s.absolute(c, lineURL(v.ID, seg.Start)),
			YouTubeURL:   catalog.WatchURL(v.ID, seg.Start),
			Repeated:     repeats[seg.ID] != (catalog.Repeat{}),
			RepeatVideos: repeats[seg.ID].Videos,
		})
	}
	return out
}

// searchJSON is a results page as JSON. Unlike the HTML page, a query that
// cannot be searched is a 400 with the reason.
func (s *server) searchJSON(c echo.Context) error {
	r, cut, err := requiredSearch(c)
	if err != nil {
		return err
	}
	sr, err := s.decideSearch(c.Request().Context(), r, cut)
	if err != nil {
		return searchError(err)
	}
	res := sr.results
	out := apiSearch{
		Query: r.Query, Total: res.Total, Capped: res.Capped, Unranked: res.Unranked, Videos: res.Videos, VideosMore: res.VideosMore,
		Page: r.Page, Pages: res.Pages(), PerPage: search.PerPage, Grouped: res.Grouped,
		Hits: []apiHit{}, Facets: []apiFacet{}, Notices: sr.notices,
		Relaxed: res.Relaxed, Corrected: res.Corrected, Repeated: res.Repeated,
	}
	if out.Notices == nil {
		out.Notices = []string{}
	}
	if res.Grouped {
		out.PerPage = search.GroupsPerPage
	}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, s.apiHit(c, sr, h))
	}
	for _, g := range res.Groups {
		ag := apiGroup{VideoID: g.VideoID, Title: displayTitle(g.VideoID, g.Title), Count: g.Count, URL: s.absolute(c, sr.inVideoURL(g.VideoID, -1))}
		for _, h := range g.Hits {
			ag.Hits = append(ag.Hits, s.apiHit(c, sr, h))
		}
		out.Groups = append(out.Groups, ag)
	}
	for _, f := range res.Facets {
		v, _ := sr.facetParams(f)
		out.Facets = append(out.Facets, apiFacet{VideoID: f.VideoID, Title: displayTitle(f.VideoID, f.Title), Count: f.Count,
			URL: s.absolute(c, withQuery("/search.json", v))})
	}
	f := res.Filter
	out.Filters = apiFilters{Channel: f.Channel, Speaker: f.Speaker, After: f.After, Before: f.Before}
	out.ChannelFacets, out.SpeakerFacets, out.YearFacets = []apiBucket{}, []apiBucket{}, []apiBucket{}
	into := map[string]*[]apiBucket{"channel": &out.ChannelFacets, "speaker": &out.SpeakerFacets, "year": &out.YearFacets}
	for _, g := range facetGroups(sr, "/search.json") {
		for i, b := range g.buckets {
			*into[g.field] = append(*into[g.field], apiBucket{Value: b.Value, Label: b.Label, Count: b.Count, URL: s.absolute(c, g.Facets[i].URL)})
		}
	}
	p := pager("/search.json", sr.params, r.Page, res.Pages())
	out.Next, out.Prev = s.absoluteIf(c, p.Next), s.absoluteIf(c, p.Prev)
	return c.JSON(http.StatusOK, out)
}

func (s *server) apiHit(c echo.Context, sr searchResult, h search.Hit) apiHit {
	var plain strings.Builder
	for _, f := range h.Snippet {
		plain.WriteString(f.Text)
	}
	var marked bytes.Buffer
	if err := views.Snippet(hitModel(sr, h).Snippet).Render(c.Request().Context(), &marked); err != nil {
		// Rendering into a buffer fails only with the context.
		marked.Reset()
	}
	out := apiHit{
		VideoID:      h.VideoID,
		Title:        displayTitle(h.VideoID, h.Title),
		Thumbnail:    h.Thumbnail,
		StartSecond:  h.Start,
		EndSecond:    h.End,
		MomentSecond: h.Moment,
		Snippet:      plain.String(),
		SnippetHTML:  marked.String(),
		URL:          s.absolute(c, sr.inVideoURL(h.VideoID, h.Start)),
		YouTubeURL:   catalog.WatchURL(h.VideoID, h.Moment),
		Missing:      h.Missing,
		Repeated:     h.Repeat != 0,
		MoreVideos:   h.Copies,
		ChannelID:    h.ChannelID,
		Channel:      h.Channel,
		Published:    h.Published,
		Speaker:      h.Speaker,
		Chapter:      h.Chapter,
	}
	if h.Copies > 0 {
		out.CopiesURL = s.absolute(c, withQuery("/search.json", sr.copiesParams(h.Repeat)))
	}
	return out
}

// requiredSearch reads a search request for the machine-readable search
// endpoints, where an empty query is an error.
func requiredSearch(c echo.Context) (search.Request, bool, error) {
	r, cut, err := searchRequest(c)
	if err == nil && r.Query == "" && !r.Narrow.Narrowed() {
		err = badRequest("The parameter q (what to search for) is missing: give words, or a speaker, channel or date to list.")
	}
	return r, cut, err
}

// absoluteIf makes a non-empty site path absolute.
func (s *server) absoluteIf(c echo.Context, path string) string {
	if path == "" {
		return ""
	}
	return s.absolute(c, path)
}

// withQuery is path with the query parameters q.
func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
