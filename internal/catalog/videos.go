package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// videoColumns are the columns scanVideo reads, in its order.
const videoColumns = `video_id, title, thumbnail, duration_seconds, segment_count, imported_at,
	channel_id, channel, published, description, tags, language`

// scanVideo reads a row of videoColumns.
func scanVideo(row interface{ Scan(...any) error }) (Video, error) {
	var v Video
	var imported, published, tags string
	if err := row.Scan(&v.ID, &v.Title, &v.Thumbnail, &v.Duration, &v.Segments, &imported,
		&v.ChannelID, &v.Channel, &published, &v.Description, &tags, &v.Language); err != nil {
		return Video{}, err
	}
	v.ImportedAt = parseTime(imported)
	v.Published = parseDate(published)
	v.Tags = parseTags(tags)
	return v, nil
}

// parseDate reads published ('YYYY-MM-DD'); ” or anything else another
// tool wrote reads as the zero time.
func parseDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// parseTags reads the tags column, a JSON array of strings; an empty
// array, or anything else another tool wrote, reads as no tags (nil).
func parseTags(s string) []string {
	var tags []string
	if json.Unmarshal([]byte(s), &tags) != nil || len(tags) == 0 {
		return nil
	}
	return tags
}

// VideoSort is an order of the catalog.
type VideoSort string

// The orders of the catalog. Undated videos come after dated ones in both
// date orders, and every order ends by title, so pages are stable.
const (
	SortNewest VideoSort = "newest" // latest publication first
	SortOldest VideoSort = "oldest" // earliest publication first
	SortTitle  VideoSort = "title"  // A–Z, ignoring leading quotes and punctuation; untitled last
	SortLength VideoSort = "length" // longest first
)

// VideoSorts lists every order, the default first.
var VideoSorts = []VideoSort{SortNewest, SortOldest, SortTitle, SortLength}

// orderBy is each order's ORDER BY clause: fixed text, never the reader's.
var orderBy = map[VideoSort]string{
	SortNewest: `published = '', published DESC, title = '', sort_title, video_id`,
	SortOldest: `published = '', published, title = '', sort_title, video_id`,
	SortTitle:  `title = '', sort_title, video_id`,
	SortLength: `duration_seconds DESC, title = '', sort_title, video_id`,
}

// VideoQuery selects a page of the catalog.
type VideoQuery struct {
	ChannelID string    // only this channel's videos; "" for every video
	Sort      VideoSort // "" is SortNewest
	Offset    int
	Limit     int
}

// FindVideos returns the page of videos q selects, in its order.
func (c *Catalog) FindVideos(ctx context.Context, q VideoQuery) ([]Video, error) {
	order, ok := orderBy[q.Sort]
	if q.Sort == "" {
		order, ok = orderBy[SortNewest], true
	}
	if !ok {
		return nil, fmt.Errorf("catalog: videos: unknown order %q", q.Sort)
	}
	where, args := "", []any{}
	if q.ChannelID != "" {
		where, args = "WHERE channel_id = ?", append(args, q.ChannelID)
	}
	rows, err := c.db.QueryContext(ctx, `
		SELECT `+videoColumns+` FROM videos `+where+`
		ORDER BY `+order+`
		LIMIT ? OFFSET ?`, append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, fmt.Errorf("catalog: videos: %w", err)
	}
	defer rows.Close()
	var vs []Video
	for rows.Next() {
		v, err := scanVideo(rows)
		if err != nil {
			return nil, fmt.Errorf("catalog: videos: %w", err)
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: videos: %w", err)
	}
	return vs, nil
}

// CountVideos returns the number of videos and segments of a channel, or
// of the whole catalog when channelID is "".
func (c *Catalog) CountVideos(ctx context.Context, channelID string) (Totals, error) {
	if channelID == "" {
		return c.Totals(ctx)
	}
	var t Totals
	if err := c.db.QueryRowContext(ctx, `
		SELECT count(*), coalesce(sum(segment_count), 0) FROM videos WHERE channel_id = ?`, channelID).Scan(&t.Videos, &t.Segments); err != nil {
		return Totals{}, fmt.Errorf("catalog: count videos of %s: %w", channelID, err)
	}
	return t, nil
}

// Channel is a channel (or show) of the catalog with what it holds.
type Channel struct {
	ID     string // YouTube's channel id, or a slug of the name
	Name   string // the name on its most recently published video
	Videos int
	Latest time.Time // the newest video's publication day; zero when none is dated
}

// Channels returns every channel, by name.
func (c *Catalog) Channels(ctx context.Context) ([]Channel, error) {
	// SQLite takes the bare column channel from the row of max(published).
	rows, err := c.db.QueryContext(ctx, `
		SELECT channel_id, channel, count(*), max(published)
		FROM videos WHERE channel_id <> ''
		GROUP BY channel_id
		ORDER BY channel COLLATE NOCASE, channel_id`)
	if err != nil {
		return nil, fmt.Errorf("catalog: channels: %w", err)
	}
	defer rows.Close()
	var cs []Channel
	for rows.Next() {
		var ch Channel
		var latest string
		if err := rows.Scan(&ch.ID, &ch.Name, &ch.Videos, &latest); err != nil {
			return nil, fmt.Errorf("catalog: channels: %w", err)
		}
		ch.Latest = parseDate(latest)
		cs = append(cs, ch)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: channels: %w", err)
	}
	return cs, nil
}

// Channel returns one channel, or ErrNotFound.
func (c *Catalog) Channel(ctx context.Context, id string) (Channel, error) {
	ch := Channel{ID: id}
	var latest string
	err := c.db.QueryRowContext(ctx, `
		SELECT channel, count(*), max(published)
		FROM videos WHERE channel_id = ?
		GROUP BY channel_id`, id).Scan(&ch.Name, &ch.Videos, &latest)
	if errors.Is(err, sql.ErrNoRows) || id == "" {
		return Channel{}, fmt.Errorf("catalog: channel %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Channel{}, fmt.Errorf("catalog: channel %s: %w", id, err)
	}
	ch.Latest = parseDate(latest)
	return ch, nil
}

// Chapters returns a video's chapters in time order; a video without
// chapters (or an unknown one) has none.
func (c *Catalog) Chapters(ctx context.Context, videoID string) ([]Chapter, error) {
	rows, err := c.db.QueryContext(ctx, `
		SELECT start_second, title FROM chapters WHERE video_id = ? ORDER BY start_second`, videoID)
	if err != nil {
		return nil, fmt.Errorf("catalog: chapters %s: %w", videoID, err)
	}
	defer rows.Close()
	var chs []Chapter
	for rows.Next() {
		var ch Chapter
		if err := rows.Scan(&ch.Start, &ch.Title); err != nil {
			return nil, fmt.Errorf("catalog: chapters %s: %w", videoID, err)
		}
		chs = append(chs, ch)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: chapters %s: %w", videoID, err)
	}
	return chs, nil
}

// Speaker is a voice of a video with how many of its segments they speak.
type Speaker struct {
	Name     string
	Segments int
}

// Speakers returns who speaks in a video, those with most segments first.
func (c *Catalog) Speakers(ctx context.Context, videoID string) ([]Speaker, error) {
	rows, err := c.db.QueryContext(ctx, `
		SELECT speaker, count(*) FROM segments
		WHERE video_id = ? AND speaker <> ''
		GROUP BY speaker ORDER BY count(*) DESC, speaker`, videoID)
	if err != nil {
		return nil, fmt.Errorf("catalog: speakers %s: %w", videoID, err)
	}
	defer rows.Close()
	var ss []Speaker
	for rows.Next() {
		var s Speaker
		if err := rows.Scan(&s.Name, &s.Segments); err != nil {
			return nil, fmt.Errorf("catalog: speakers %s: %w", videoID, err)
		}
		ss = append(ss, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: speakers %s: %w", videoID, err)
	}
	return ss, nil
}
