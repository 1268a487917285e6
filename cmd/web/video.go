package main

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/views"
)

// videoPage shows one video's whole transcript.
func (s *server) videoPage(c echo.Context) error {
	id := c.Param("id")
	if !catalog.ValidVideoID(id) {
		return &pageError{status: http.StatusNotFound, message: "There is no video at this address: a video id is 11 letters, digits, - or _."}
	}
	ctx := c.Request().Context()
	v, err := s.catalog.Video(ctx, id)
	if err != nil {
		return err
	}
	segs, err := s.catalog.Transcript(ctx, id)
	if err != nil {
		return err
	}
	m := videoModel(v, segs)
	return s.render(c, http.StatusOK, views.VideoPage(s.chrome(m.Title, "Transcript of “"+m.Title+"”, every line linked to its moment.", ""), m))
}

// videoModel maps a video and its transcript to the view.
func videoModel(v catalog.Video, segs []catalog.Segment) views.Video {
	m := views.Video{
		Title:     displayTitle(v.ID, v.Title),
		Thumbnail: v.Thumbnail,
		WatchURL:  watchURL(v.ID, 0),
		Meta:      clock(v.Duration) + " · " + plural(v.Segments, "transcript line", "transcript lines"),
		Lines:     make([]views.Line, 0, len(segs)),
	}
	for _, seg := range segs {
		m.Lines = append(m.Lines, views.Line{
			Anchor:   anchor(seg.Start),
			Time:     clock(seg.Start),
			Datetime: isoDuration(seg.Start),
			WatchURL: watchURL(v.ID, seg.Start),
			Text:     seg.Text,
		})
	}
	return m
}
