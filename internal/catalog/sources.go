package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Source is a channel or playlist that videos were fetched from, checked
// again by `web fetch -update`.
type Source struct {
	URL   string // as it was given
	Kind  string // SourceChannel or SourcePlaylist
	Title string // the channel's or playlist's name, "" if unknown
	// AddedAt is when the source was first fetched, LastCheckedAt when its
	// list of videos was last read.
	AddedAt, LastCheckedAt time.Time
}

// The kinds of Source.
const (
	SourceChannel  = "channel"
	SourcePlaylist = "playlist"
)

// CheckedSource records that the list of videos of src was read at
// src.LastCheckedAt (now, if zero): a new source is added, a known one
// has its kind, title (when given) and check time updated.
func (c *Catalog) CheckedSource(ctx context.Context, src Source) error {
	checked := src.LastCheckedAt
	if checked.IsZero() {
		checked = time.Now()
	}
	at := checked.UTC().Format(time.RFC3339)
	_, err := c.db.ExecContext(ctx, `
		INSERT INTO sources (url, kind, title, added_at, last_checked_at) VALUES (?1, ?2, ?3, ?4, ?4)
		ON CONFLICT (url) DO UPDATE SET
			kind = excluded.kind,
			title = CASE WHEN excluded.title <> '' THEN excluded.title ELSE sources.title END,
			last_checked_at = excluded.last_checked_at`,
		src.URL, src.Kind, src.Title, at)
	if err != nil {
		return fmt.Errorf("catalog: source %s: %w", src.URL, err)
	}
	return nil
}

// Sources returns every remembered source, oldest first.
func (c *Catalog) Sources(ctx context.Context) ([]Source, error) {
	rows, err := c.db.QueryContext(ctx, `
		SELECT url, kind, title, added_at, last_checked_at
		FROM sources ORDER BY added_at, url`)
	if err != nil {
		return nil, fmt.Errorf("catalog: sources: %w", err)
	}
	defer rows.Close()
	var srcs []Source
	for rows.Next() {
		var s Source
		var added, checked string
		if err := rows.Scan(&s.URL, &s.Kind, &s.Title, &added, &checked); err != nil {
			return nil, fmt.Errorf("catalog: sources: %w", err)
		}
		s.AddedAt, s.LastCheckedAt = parseTime(added), parseTime(checked)
		srcs = append(srcs, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: sources: %w", err)
	}
	return srcs, nil
}

// ExistingVideos returns which of ids the catalog holds, in one query
// however many ids are asked about (a channel lists thousands).
func (c *Catalog) ExistingVideos(ctx context.Context, ids []string) (map[string]bool, error) {
	have := map[string]bool{}
	if len(ids) == 0 {
		return have, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("catalog: existing videos: %w", err)
	}
	rows, err := c.db.QueryContext(ctx, `
		SELECT video_id FROM videos WHERE video_id IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, fmt.Errorf("catalog: existing videos: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("catalog: existing videos: %w", err)
		}
		have[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: existing videos: %w", err)
	}
	return have, nil
}
