package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// deriveBatch is how many new segments writeDerived reads at a time.
const deriveBatch = 4096

// writeDerived brings up to date, inside an import's transaction, the two
// tables derived from the segments' text: the champion lists
// (champions.go) and the shingles of repeated-text detection
// (repeats.go). The new
// segments (ids above before, the largest id before the import, or above
// where either table stopped) are read once, in id order, a batch at a
// time; each batch is weighed into the lists on one goroutine while its
// shingles are hashed on this one, so the two cores share the work, and
// the shingles are written after both are done. No statement stays open
// while either writes.
func writeDerived(ctx context.Context, tx *sql.Tx, before int64, rewritten []rewrite) error {
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM segments`).Scan(&last); err != nil {
		return fmt.Errorf("catalog: import: %w", err)
	}
	cw, err := newChampionWriter(ctx, tx, before, last)
	if err != nil {
		return fmt.Errorf("catalog: import: %w", err)
	}
	rw, err := newRepeatWriter(ctx, tx, before, last, rewritten)
	if err != nil {
		return fmt.Errorf("catalog: import: %w", err)
	}
	type row struct {
		id, video int64
		text      string
	}
	rows := make([]row, 0, deriveBatch)
	// The shingles of rows[i] are hashes[at[i]:at[i+1]]: apart from rows,
	// which the lists' goroutine reads meanwhile.
	var hashes []int64
	at := make([]int, 0, deriveBatch+1)
	var sh shingler
	for from := min(cw.from, rw.from); from < last; {
		rows = rows[:0]
		rs, err := tx.QueryContext(ctx, `
			SELECT s.id, v.rowid, s.text FROM segments s JOIN videos v USING (video_id)
			WHERE s.id > ? ORDER BY s.id LIMIT ?`, from, deriveBatch)
		if err != nil {
			return fmt.Errorf("catalog: import: new segments: %w", err)
		}
		for rs.Next() {
			var r row
			if err := rs.Scan(&r.id, &r.video, &r.text); err != nil {
				rs.Close()
				return fmt.Errorf("catalog: import: new segments: %w", err)
			}
			rows = append(rows, r)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return fmt.Errorf("catalog: import: new segments: %w", err)
		}
		if len(rows) == 0 {
			break
		}
		from = rows[len(rows)-1].id

		var wg sync.WaitGroup
		var cerr error
		wg.Go(func() {
			for _, r := range rows {
				if r.id > cw.from {
					if cerr = cw.add(ctx, r.id, r.text); cerr != nil {
						return
					}
				}
			}
		})
		hashes, at = hashes[:0], at[:0]
		for _, r := range rows {
			at = append(at, len(hashes))
			if r.id > rw.from {
				hashes = append(hashes, sh.shingles(r.text)...)
			}
		}
		at = append(at, len(hashes))
		wg.Wait()
		if cerr != nil {
			return fmt.Errorf("catalog: import: champions: %w", cerr)
		}
		for i, r := range rows {
			if r.id > rw.from {
				if err := rw.add(ctx, r.id, r.video, hashes[at[i]:at[i+1]]); err != nil {
					return fmt.Errorf("catalog: import: repeats: %w", err)
				}
			}
		}
		if err := rw.flush(ctx); err != nil {
			return fmt.Errorf("catalog: import: repeats: %w", err)
		}
	}
	if err := cw.finish(ctx); err != nil {
		return fmt.Errorf("catalog: import: %w", err)
	}
	if err := rw.finish(ctx); err != nil {
		return fmt.Errorf("catalog: import: %w", err)
	}
	return nil
}
