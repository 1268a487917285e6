package main

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/excerpt"
	"github.com/transcripts/site/internal/export"
	"github.com/transcripts/site/internal/search"
	"github.com/transcripts/site/views"
)

// maxQueryBytes bounds what is read of ?q=; the rest is ignored and the
// reader told so.
const maxQueryBytes = 1000

// searchRequest reads a search's parameters: q, page, sort (relevance,
// time), group (video, none) and video (repeatable). It reports whether q
// was cut to maxQueryBytes.
func searchRequest(c echo.Context) (search.Request, bool, error) {
	params := c.QueryParams()
	r := search.Request{Query: strings.TrimSpace(params.Get("q"))}
	cut := len(r.Query) > maxQueryBytes
	if cut {
		r.Query = excerpt.Prefix(r.Query, maxQueryBytes)
	}
	var err error
	if r.Page, err = parsePage(params.Get("page"), search.MaxGroupPage); err != nil {
		return r, cut, err
	}
	switch params.Get("sort") {
	case "", "relevance":
		r.Sort = search.Relevance
	case "time":
		r.Sort = search.Time
	case "newest":
		r.Sort = search.Newest
	case "oldest":
		r.Sort = search.Oldest
	default:
		return r, cut, badRequest("The order (sort) is relevance, time, newest or oldest.")
	}
	for _, name := range filterParams {
		if v := strings.TrimSpace(params.Get(name)); v != "" {
			if err := r.Narrow.SetFilter(name, v); err != nil {
				reason, _ := search.IsBadQuery(err)
				return r, cut, badRequest(reason)
			}
		}
	}
	switch params.Get("group") {
	case "":
		r.Group = search.GroupAuto
	case "video":
		r.Group = search.GroupVideos
	case "none":
		r.Group = search.GroupNone
	default:
		return r, cut, badRequest("Results are grouped (group) by video or not at all (none).")
	}
	if v := params.Get("repeat"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return r, cut, badRequest("A repeated text (repeat) is named by its number.")
		}
		r.Repeat = n
	}
	switch params.Get("verbatim") {
	case "":
	case "1":
		r.Verbatim = true
	default:
		return r, cut, badRequest("Verbatim search (verbatim) is 1 or absent.")
	}
	for _, id := range params["video"] {
		if !catalog.ValidVideoID(id) {
			return r, cut, badRequest("A video filter (video) is an 11-character video id.")
		}
		if !slices.Contains(r.Videos, id) {
			r.Videos = append(r.Videos, id)
		}
	}
	if len(r.Videos) > search.MaxVideoFilters {
		return r, cut, badRequest("A search can be limited to at most 20 videos.")
	}
	return r, cut, nil
}

// searchResult is what a search request decided: the one value that
// every rendering of a search (the results page, its JSON twin) maps
// from. Links are rebuilt from params, the request's canonical
// parameters, on whichever path the rendering answers.
type searchResult struct {
	request search.Request
	params  url.Values
	results search.Results
	notices []string // every notice that applies, in order
}

// searchFailure is the one table from a failed search to its status and
// reader-facing message, for every rendering; ok is false for a failure
// of the server, which is no fault of the query.
func searchFailure(err error) (status int, message string, ok bool) {
	if reason, bad := search.IsBadQuery(err); bad {
		return http.StatusBadRequest, reason, true
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return http.StatusServiceUnavailable, "This search took too long. Try adding a word or two to narrow it.", true
	}
	return 0, "", false
}

// searchError maps a search failure to the error page of the machine
// readable renderings.
func searchError(err error) error {
	if status, message, ok := searchFailure(err); ok {
		return &pageError{status: status, message: message, err: err}
	}
	return err
}

// decideSearch runs r and gathers everything its renderings show; cut
// says the query was shortened to maxQueryBytes.
func (s *server) decideSearch(ctx context.Context, r search.Request, cut bool) (searchResult, error) {
	out := searchResult{request: r, params: canonicalSearchParams(r)}
	if cut {
		out.notices = append(out.notices, "Your search was long: only its first "+count(maxQueryBytes)+" characters were used.")
	}
	res, err := s.search.Search(ctx, r)
	if err != nil {
		return out, err
	}
	out.results = res
	if res.Query.Truncated {
		out.notices = append(out.notices, "Only the first "+count(search.MaxTerms)+" words of your search were used.")
	}
	switch {
	case res.Query.Browse():
		// Every line the filters allow, newest first: nothing to rank.
	case res.Unranked:
		out.notices = append(out.notices, "These words are in more than half of all moments, too common to rank: the most recently imported are shown first. "+
			"Add a less common word to find the moment you want.")
	case res.Windowed:
		out.notices = append(out.notices, "More than "+count(search.CountCap)+" moments match: the best among the "+count(search.RankWindow)+
			" most recently imported are shown. Add a word or two to find the moment you want.")
	}
	if pages := res.Pages(); res.Total > 0 && r.Page > pages {
		out.notices = append(out.notices, "There are no more results past page "+count(pages)+".")
	}
	return out, nil
}

// withParam is params for the first page of the same results with key
// set to value (or removed, for "").
func (r searchResult) withParam(key, value string) url.Values {
	v := cloneValues(r.params)
	v.Del("page")
	if value == "" {
		v.Del(key)
	} else {
		v.Set(key, value)
	}
	return v
}

// facetParams is params with the facet's video filter toggled, and
// whether it was on.
func (r searchResult) facetParams(f search.Facet) (url.Values, bool) {
	v := cloneValues(r.params)
	v.Del("page")
	active := slices.Contains(r.request.Videos, f.VideoID)
	if active {
		v["video"] = slices.DeleteFunc(slices.Clone(v["video"]), func(id string) bool { return id == f.VideoID })
	} else {
		v.Add("video", f.VideoID)
	}
	return v, active
}

// filterModels lists what narrows the results, each with the link that
// lifts it: from the URL or typed in the box (then lifting it searches
// the words without the operator).
func filterModels(sr searchResult) []views.Filter {
	f := sr.results.Filter
	var out []views.Filter
	add := func(name, label, value string) {
		if value == "" {
			return
		}
		v := sr.withParam(name, "")
		if !filterSetByURL(sr.request, name) {
			// Typed in the box: lifting it keeps the words alone.
			v.Set("q", stripOperator(sr.request.Query, name))
		}
		out = append(out, views.Filter{Label: label, Value: value, LiftURL: withQuery("/search", v)})
	}
	add("channel", "channel", channelName(sr.results, f.Channel))
	add("speaker", "speaker", f.Speaker)
	add("after", "published on or after", f.After)
	add("before", "published on or before", f.Before)
	return out
}

// filterSetByURL reports whether r's URL parameters set the filter name.
func filterSetByURL(r search.Request, name string) bool {
	return filterValues(r.Narrow).Get(name) != ""
}

// stripOperator removes name:value (or name:"value") from a query.
func stripOperator(q, name string) string {
	re := regexp.MustCompile(`(?i)(^|\s)` + name + `:("[^"]*"?|\S*)`)
	return strings.Join(strings.Fields(re.ReplaceAllString(q, " ")), " ")
}

// channelName is a channel's name as the results know it, else its id.
func channelName(res search.Results, id string) string {
	for _, b := range res.Channels {
		if b.Value == id {
			return b.Label
		}
	}
	return id
}

// facetGroup is one facet of results (channels, speakers, years) with its
// links, and the buckets they were made from.
type facetGroup struct {
	views.FacetGroup
	field   string // what it narrows by: "channel", "speaker" or "year"
	buckets []search.Bucket
}

// facetGroups maps the channel, speaker and year facets: each value's
// link (on path: the page or its JSON twin) narrows the search to it, or
// lifts that filter when it is on.
func facetGroups(sr searchResult, path string) []facetGroup {
	res := sr.results
	// narrow is the parameters of a bucket's link, and whether it is on.
	group := func(title, field string, bs []search.Bucket, narrow func(search.Bucket) (url.Values, bool)) facetGroup {
		g := facetGroup{FacetGroup: views.FacetGroup{Title: title}, field: field, buckets: bs}
		for _, b := range bs {
			v, active := narrow(b)
			g.Facets = append(g.Facets, views.Facet{Title: b.Label, Count: count(b.Count), URL: withQuery(path, v), Active: active})
		}
		return g
	}
	// toggle narrows by param = the bucket's value, or lifts it when on.
	toggle := func(param, current string) func(search.Bucket) (url.Values, bool) {
		return func(b search.Bucket) (url.Values, bool) {
			if current != "" && current == b.Value {
				return sr.withParam(param, ""), true
			}
			return sr.withParam(param, b.Value), false
		}
	}
	var gs []facetGroup
	if len(res.Channels) > 1 || res.Filter.Channel != "" {
		gs = append(gs, group("Channels", "channel", res.Channels, toggle("channel", res.Filter.Channel)))
	}
	if len(res.Speakers) > 0 {
		gs = append(gs, group("Speakers", "speaker", res.Speakers, toggle("speaker", res.Filter.Speaker)))
	}
	if len(res.Years) > 1 {
		// A year narrows to its first and last day.
		gs = append(gs, group("Years", "year", res.Years, func(b search.Bucket) (url.Values, bool) {
			from, to := b.Value+"-01-01", b.Value+"-12-31"
			if res.Filter.After == from && res.Filter.Before == to {
				v := sr.withParam("after", "")
				v.Del("before")
				return v, true
			}
			v := sr.withParam("after", from)
			v.Set("before", to)
			return v, false
		}))
	}
	return gs
}

// copiesParams lists every copy of a repeated text that matches.
func (r searchResult) copiesParams(cluster int64) url.Values {
	v := r.withParam("repeat", strconv.FormatInt(cluster, 10))
	v.Set("group", "none")
	return v
}

// inVideoURL is a video's page searched for the query, scrolled to the
// line starting at sec when sec >= 0. It is where every link to a hit's
// line or video goes, so the words stay marked after the click; a
// corrected query is the one searched, so it is the one kept.
func (r searchResult) inVideoURL(videoID string, sec int) string {
	q := r.request.Query
	if r.results.Corrected != "" {
		q = r.results.Corrected
	}
	return searchedLineURL(videoID, q, sec)
}

// searchPage shows a page of results for ?q=, or how to search when q is
// empty. A query that cannot be searched is explained on the page.
func (s *server) searchPage(c echo.Context) error {
	r, cut, err := searchRequest(c)
	if err != nil {
		return err
	}
	chrome := s.chrome(c, "Search", "Search every transcript for the moment something was said.", r.Query)
	if r.Query == "" && !r.Narrow.Narrowed() {
		return s.render(c, http.StatusOK, views.SearchPage(chrome, views.Search{Tips: s.tips(c.Request().Context())}))
	}
	params := canonicalSearchParams(r)
	chrome.Title = "“" + r.Query + "” · Search"
	chrome.Description = "Moments in the transcripts where “" + r.Query + "” was said."
	chrome.Canonical = s.absolute(c, withQuery("/search", params))
	chrome.Alternates = []views.Alternate{
		{Type: "application/json", Href: withQuery("/search.json", params), Title: "These results as JSON"},
		{Type: "application/atom+xml", Href: withQuery("/search.atom", exportParams(r)), Title: "New moments matching “" + r.Query + "”"},
	}
	res, err := s.decideSearch(c.Request().Context(), r, cut)
	if err != nil {
		status, message, ok := searchFailure(err)
		if !ok {
			return err
		}
		if status >= http.StatusInternalServerError {
			s.log.Warn("search failed", "q", r.Query, "status", status, "err", err)
		}
		m := views.Search{Query: r.Query, Problem: message, Notices: res.notices}
		return s.render(c, status, views.SearchPage(chrome, m))
	}
	m := searchModel(res)
	if m.Empty {
		m.Tips = s.tips(c.Request().Context())
	}
	chrome.Prev, chrome.Next = m.Pager.Prev, m.Pager.Next
	return s.render(c, http.StatusOK, views.SearchPage(chrome, m))
}

// filterParams are the URL parameters that narrow a search, as the
// operators typed in the box do (speaker:"Ada Lovelace").
var filterParams = []string{"channel", "speaker", "after", "before"}

// filterValues are r's narrowing filters as URL parameters.
func filterValues(f search.Filter) url.Values {
	v := url.Values{}
	for name, value := range map[string]string{"channel": f.Channel, "speaker": f.Speaker, "after": f.After, "before": f.Before} {
		if value != "" {
			v.Set(name, value)
		}
	}
	return v
}

// canonicalSearchParams writes a request back as URL parameters, defaults
// left out, so every view of the results has one bookmarkable URL.
func canonicalSearchParams(r search.Request) url.Values {
	v := url.Values{"q": {r.Query}}
	if r.Page > 1 {
		v.Set("page", strconv.Itoa(r.Page))
	}
	switch r.Sort {
	case search.Time:
		v.Set("sort", "time")
	case search.Newest:
		v.Set("sort", "newest")
	case search.Oldest:
		v.Set("sort", "oldest")
	}
	for name, vs := range filterValues(r.Narrow) {
		v[name] = vs
	}
	switch r.Group {
	case search.GroupVideos:
		v.Set("group", "video")
	case search.GroupNone:
		v.Set("group", "none")
	}
	for _, id := range r.Videos {
		v.Add("video", id)
	}
	if r.Verbatim {
		v.Set("verbatim", "1")
	}
	if r.Repeat != 0 {
		v.Set("repeat", strconv.FormatInt(r.Repeat, 10))
	}
	return v
}

// exportParams are the parameters of a request that select its hits (not
// how a page shows them), for exports and feeds.
func exportParams(r search.Request) url.Values {
	v := filterValues(r.Narrow)
	v.Set("q", r.Query)
	for _, id := range r.Videos {
		v.Add("video", id)
	}
	if r.Verbatim {
		v.Set("verbatim", "1")
	}
	if r.Repeat != 0 {
		v.Set("repeat", strconv.FormatInt(r.Repeat, 10))
	}
	return v
}

// searchModel maps a search's result to the results page.
func searchModel(sr searchResult) views.Search {
	res, r := sr.results, sr.request
	m := views.Search{Query: r.Query, Notices: sr.notices, Empty: res.Total == 0, Browse: res.Query.Browse()}
	total := count(res.Total)
	if res.Capped {
		total += "+"
	}
	m.Summary = total + " moments"
	if res.Total == 1 {
		m.Summary = "1 moment"
	}
	videos := plural(res.Videos, "video", "videos")
	if res.VideosMore {
		videos = count(res.Videos) + "+ videos"
	}
	switch {
	case res.Ranked < res.Total && res.Unranked: // only the newest are listed
		m.Summary += " · the newest " + count(search.RankCap) + " in " + videos
	case res.Ranked < res.Total: // only the best are ranked
		m.Summary += " · the best " + count(search.RankCap) + " in " + videos
	default:
		m.Summary += " in " + videos
	}
	if res.Repeated > 0 && r.Repeat == 0 {
		m.Summary += " · " + count(res.Repeated) + " in repeated text (sponsor reads, intros), listed last"
	}
	pages := res.Pages()
	more := res.Grouped && res.VideosMore && !res.Partial // later pages find more videos
	if pages > 1 {
		m.Summary += " · page " + count(r.Page) + " of " + count(pages)
		if more {
			m.Summary += "+"
		}
	}
	m.Pager = pager("/search", sr.params, r.Page, pages)
	if more {
		m.Pager.Of += "+"
	}
	if len(r.Videos) > 0 {
		m.AllVideos = withQuery("/search", sr.withParam("video", ""))
	}
	if res.Corrected != "" {
		m.Correction = &views.Correction{
			Query: res.Corrected, URL: withQuery("/search", url.Values{"q": {res.Corrected}}),
			Original: r.Query, OriginalURL: withQuery("/search", sr.withParam("verbatim", "1")),
		}
	}
	if res.Relaxed {
		m.ExactURL = withQuery("/search", sr.withParam("verbatim", "1"))
	}
	m.Sorts = []views.Option{
		{Label: "best first", URL: withQuery("/search", sr.withParam("sort", "")), Current: r.Sort == search.Relevance},
		{Label: "in time order", URL: withQuery("/search", sr.withParam("sort", "time")), Current: r.Sort == search.Time},
	}
	if len(res.Years) > 0 {
		m.Sorts = append(m.Sorts,
			views.Option{Label: "newest", URL: withQuery("/search", sr.withParam("sort", "newest")), Current: r.Sort == search.Newest},
			views.Option{Label: "oldest", URL: withQuery("/search", sr.withParam("sort", "oldest")), Current: r.Sort == search.Oldest})
	}
	m.Filters = filterModels(sr)
	for _, g := range facetGroups(sr, "/search") {
		m.FacetGroups = append(m.FacetGroups, g.FacetGroup)
	}
	m.Groupings = []views.Option{
		{Label: "by video", URL: withQuery("/search", sr.withParam("group", "video")), Current: res.Grouped},
		{Label: "every moment", URL: withQuery("/search", sr.withParam("group", "none")), Current: !res.Grouped},
	}
	for _, f := range res.Facets {
		v, active := sr.facetParams(f)
		m.Facets = append(m.Facets, views.Facet{
			Title:  displayTitle(f.VideoID, f.Title),
			Count:  count(f.Count),
			URL:    withQuery("/search", v),
			Active: active,
		})
	}
	for _, h := range res.Hits {
		m.Hits = append(m.Hits, hitModel(sr, h))
	}
	for _, g := range res.Groups {
		vg := views.Group{
			Title:     displayTitle(g.VideoID, g.Title),
			Thumbnail: g.Thumbnail,
			VideoURL:  sr.inVideoURL(g.VideoID, -1),
			Count:     plural(g.Count, "matching moment", "matching moments"),
			AllURL:    sr.inVideoURL(g.VideoID, -1),
			AllLabel:  "all " + plural(g.Count, "moment", "moments") + " in this video",
		}
		switch {
		case res.Partial: // counted among the newest CountCap matches only
			vg.Count += " among the newest " + count(search.CountCap)
			vg.AllLabel = "all its moments"
		case g.Count == 1:
			vg.AllLabel = "the moment in its transcript"
		}
		for _, h := range g.Hits {
			vg.Hits = append(vg.Hits, hitModel(sr, h))
		}
		m.Groups = append(m.Groups, vg)
	}
	if res.Total > 0 {
		only := exportParams(r)
		m.Downloads = []views.Download{
			{Label: "CSV", Href: withQuery("/search.csv", only)},
			{Label: "clip list for yt-dlp", Href: withQuery("/search.sh", only)},
			{Label: "Atom feed", Href: withQuery("/search.atom", only)},
			{Label: "JSON", Href: withQuery("/search.json", sr.params)},
		}
	}
	return m
}

// hitModel maps one hit with the one rule for its links, the same in
// every view and in JSON: its text and title go to our line with the
// query kept (/videos/ID?q=…#t82), its timestamp to the moment the matched
// words are spoken on YouTube.
func hitModel(sr searchResult, h search.Hit) views.Hit {
	hit := views.Hit{
		Title:      displayTitle(h.VideoID, h.Title),
		Thumbnail:  h.Thumbnail,
		LineURL:    sr.inVideoURL(h.VideoID, h.Start),
		WatchURL:   catalog.WatchURL(h.VideoID, h.Moment),
		Time:       export.Clock(h.Moment),
		Datetime:   isoDuration(h.Moment),
		TitleMatch: h.TitleMatch,
		Missing:    h.Missing,
		Repeated:   h.Repeat != 0,
		Speaker:    h.Speaker,
		Chapter:    h.Chapter,
		Channel:    h.Channel,
	}
	if h.ChannelID != "" {
		hit.ChannelURL = "/channels/" + url.PathEscape(h.ChannelID)
	}
	if d, err := time.Parse(time.DateOnly, h.Published); err == nil {
		hit.Published = dateOf(d)
	}
	if h.Copies > 0 {
		hit.CopiesURL = withQuery("/search", sr.copiesParams(h.Repeat))
		hit.Copies = "and " + plural(h.Copies, "more video", "more videos") + " with this read"
	}
	for _, f := range h.Snippet {
		hit.Snippet = append(hit.Snippet, views.Fragment{Text: f.Text, Match: f.Match})
	}
	return hit
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}
