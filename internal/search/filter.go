package search

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// set records a filter typed in the box or given as a URL parameter:
// name is speaker, channel, after or before.
func (f *Filter) set(name, value string) error {
	if !utf8.ValidString(value) || strings.ContainsRune(value, 0) {
		return &QueryError{Reason: fmt.Sprintf("%s: holds bytes that are not text.", name)}
	}
	switch name {
	case "speaker":
		f.Speaker = value
	case "channel":
		f.Channel = value
	case "after", "before":
		from, to, ok := period(value)
		if !ok {
			return &QueryError{Reason: fmt.Sprintf("%s: takes a date, a month or a year: 2021-06-30, 2021-06 or 2021 (not %q).", name, value)}
		}
		if name == "after" {
			f.After = from
		} else {
			f.Before = to
		}
	}
	return nil
}

// SetFilter sets a filter from a URL parameter (speaker, channel, after,
// before), with the same checks as the operators typed in the box; a bad
// date is a *QueryError.
func (f *Filter) SetFilter(name, value string) error {
	return f.set(name, strings.TrimSpace(value))
}

var periodPattern = regexp.MustCompile(`^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$`)

// period reads a year, a month or a day and returns its first and last
// day, YYYY-MM-DD.
func period(s string) (from, to string, ok bool) {
	m := periodPattern.FindStringSubmatch(s)
	if m == nil {
		return "", "", false
	}
	switch {
	case m[3] != "":
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return "", "", false
		}
		return d.Format(time.DateOnly), d.Format(time.DateOnly), true
	case m[2] != "":
		d, err := time.Parse("2006-01", s)
		if err != nil {
			return "", "", false
		}
		return d.Format(time.DateOnly), d.AddDate(0, 1, -1).Format(time.DateOnly), true
	default:
		return m[1] + "-01-01", m[1] + "-12-31", true
	}
}

// merge returns f with each filter it leaves unset taken from typed.
func (f Filter) merge(typed Filter) Filter {
	if f.Channel == "" {
		f.Channel = typed.Channel
	}
	if f.Speaker == "" {
		f.Speaker = typed.Speaker
	}
	if f.After == "" {
		f.After = typed.After
	}
	if f.Before == "" {
		f.Before = typed.Before
	}
	return f
}

// maxBuckets bounds each facet's values.
const maxBuckets = 10

// buckets counts the matches of w by channel, speaker and year.
func (e *Engine) buckets(ctx context.Context, res *Results, w walk) error {
	if len(w.postings) == 0 {
		return nil
	}
	described, err := e.index.Described(ctx)
	if err != nil {
		return err
	}
	var vs []Video
	if described {
		if vs, err = e.index.Videos(ctx, w.order); err != nil {
			return err
		}
	}
	channels, names, years := map[string]int{}, map[string]string{}, map[string]int{}
	for _, v := range vs {
		n := w.perVideo[v.ID]
		if v.ChannelID != "" {
			channels[v.ChannelID] += n
			names[v.ChannelID] = v.Channel
		}
		if len(v.Published) >= 4 {
			years[v.Published[:4]] += n
		}
	}
	res.Channels = top(channels, func(id string) string { return names[id] })
	res.Years = top(years, func(y string) string { return y })
	// Years read in time order, newest first.
	slices.SortFunc(res.Years, func(a, b Bucket) int { return strings.Compare(b.Value, a.Value) })
	ids := make([]int64, len(w.postings))
	for i, p := range w.postings {
		ids[i] = p.Segment
	}
	speakers, err := e.index.Speakers(ctx, ids, maxBuckets)
	if err != nil {
		return err
	}
	for _, s := range speakers {
		res.Speakers = append(res.Speakers, Bucket{Value: s.Value, Label: s.Value, Count: s.N})
	}
	return nil
}

// top returns the maxBuckets values with most matches, most first (then by
// label), labelled.
func top(counts map[string]int, label func(string) string) []Bucket {
	bs := make([]Bucket, 0, len(counts))
	for v, n := range counts {
		bs = append(bs, Bucket{Value: v, Label: label(v), Count: n})
	}
	slices.SortFunc(bs, func(a, b Bucket) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Label, b.Label)
	})
	return bs[:min(len(bs), maxBuckets)]
}
