package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// DeleteStats says what Delete removed.
type DeleteStats struct {
	Videos   int
	Segments int
}

// Delete removes videos and all their segments (and their entries in the
// search indexes) in one transaction. If any id is unknown nothing is
// deleted and the error wraps ErrNotFound.
func (c *Catalog) Delete(ctx context.Context, ids []string) (DeleteStats, error) {
	var stats DeleteStats
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return stats, fmt.Errorf("catalog: delete: %w", err)
	}
	defer tx.Rollback()
	var missing []string
	var touched []int64 // shingles the deleted segments held
	for _, id := range ids {
		hashes, err := forgetRepeats(ctx, tx, id)
		if err != nil {
			return stats, fmt.Errorf("catalog: delete %s: %w", id, err)
		}
		touched = append(touched, hashes...)
		if err := forgetChampions(ctx, tx, id); err != nil {
			return stats, fmt.Errorf("catalog: delete %s: %w", id, err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM segments WHERE video_id = ?`, id)
		if err != nil {
			return stats, fmt.Errorf("catalog: delete %s: %w", id, err)
		}
		segs, err := res.RowsAffected()
		if err != nil {
			return stats, fmt.Errorf("catalog: delete %s: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM segment_ranges WHERE video_id = ?`, id); err != nil {
			return stats, fmt.Errorf("catalog: delete %s: %w", id, err)
		}
		res, err = tx.ExecContext(ctx, `DELETE FROM videos WHERE video_id = ?`, id)
		if err != nil {
			return stats, fmt.Errorf("catalog: delete %s: %w", id, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return stats, fmt.Errorf("catalog: delete %s: %w", id, err)
		}
		if n == 0 {
			missing = append(missing, id)
		}
		stats.Videos += int(n)
		stats.Segments += int(segs)
	}
	if len(missing) > 0 {
		return DeleteStats{}, fmt.Errorf("catalog: delete: no video %s: %w", strings.Join(missing, ", "), ErrNotFound)
	}
	// A read said in fewer videos now may no longer be repeated.
	slices.Sort(touched)
	if err := markAround(ctx, tx, slices.Compact(touched)); err != nil {
		return stats, fmt.Errorf("catalog: delete: %w", err)
	}
	if err := bumpVersion(ctx, tx, c.now()); err != nil {
		return stats, fmt.Errorf("catalog: delete: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return stats, fmt.Errorf("catalog: delete: commit: %w", err)
	}
	return stats, nil
}

// Info describes the database as a whole.
type Info struct {
	Totals
	SchemaVersion int
	SizeBytes     int64
	LastImport    string // RFC 3339, "" before any import
}

// Info returns counts, size and schema version of the database.
func (c *Catalog) Info(ctx context.Context) (Info, error) {
	var info Info
	var err error
	if info.Totals, err = c.Totals(ctx); err != nil {
		return info, err
	}
	if info.SchemaVersion, err = c.SchemaVersion(ctx); err != nil {
		return info, err
	}
	if err := c.db.QueryRowContext(ctx, `
		SELECT (SELECT page_count FROM pragma_page_count()) * (SELECT page_size FROM pragma_page_size()),
			coalesce((SELECT max(imported_at) FROM videos), '')`).Scan(&info.SizeBytes, &info.LastImport); err != nil {
		return info, fmt.Errorf("catalog: info: %w", err)
	}
	return info, nil
}
