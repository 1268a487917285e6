package main

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/transcripts/site/views"
)

// isoDuration formats seconds for <time datetime>: "PT14M58S".
func isoDuration(sec int) string {
	h, m, s := sec/3600, sec/60%60, sec%60
	var b strings.Builder
	b.WriteString("PT")
	if h > 0 {
		fmt.Fprintf(&b, "%dH", h)
	}
	if m > 0 {
		fmt.Fprintf(&b, "%dM", m)
	}
	if s > 0 || (h == 0 && m == 0) {
		fmt.Fprintf(&b, "%dS", s)
	}
	return b.String()
}

// videoURL is our page of a video.
func videoURL(videoID string) string { return "/videos/" + url.PathEscape(videoID) }

// anchor is the fragment of the transcript line starting at sec.
func anchor(sec int) string { return "t" + strconv.Itoa(sec) }

// lineURL is our page of a video scrolled to the line starting at sec.
func lineURL(videoID string, sec int) string { return videoURL(videoID) + "#" + anchor(sec) }

// searchedLineURL is our page of a video searched for q, scrolled to the
// line starting at sec (or to the list of matches when sec < 0): where a
// hit's text and title link, so its words stay marked after the click.
func searchedLineURL(videoID, q string, sec int) string {
	u := withQuery(videoURL(videoID), url.Values{"q": {q}})
	if sec < 0 {
		return u + "#matches"
	}
	return u + "#" + anchor(sec)
}

// displayTitle is how a video is named on the site; the dataset has
// untitled videos, and the database keeps them untitled.
func displayTitle(videoID, title string) string {
	if title == "" {
		return "Untitled video (" + videoID + ")"
	}
	return title
}

// count formats n with thousands separators: 10,000.
func count(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// plural says "1 line" or "2,345 lines".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return count(n) + " " + many
}

// pageURL rebuilds path with query, set to page (page 1 is the bare URL),
// so pager links keep every other parameter.
func pageURL(path string, query url.Values, page int) string {
	q := cloneValues(query)
	if page <= 1 {
		q.Del("page")
	} else {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// parsePage reads the page parameter: absent is 1; anything but a whole
// number from 1 to max is an error for the reader.
func parsePage(s string, max int) (int, error) {
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, badRequest(fmt.Sprintf("The page number must be a whole number from 1 to %s.", count(max)))
	}
	return n, nil
}

// pager builds the links around page of pages.
func pager(path string, query url.Values, page, pages int) views.Pager {
	p := views.Pager{Page: page, Pages: max(pages, 1), Of: count(max(pages, 1))}
	if page > 1 {
		p.Prev = pageURL(path, query, min(page-1, max(pages, 1)))
	}
	if page < pages {
		p.Next = pageURL(path, query, page+1)
	}
	return p
}
