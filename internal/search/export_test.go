package search

import "time"

// PreparedStatements returns how many statements e keeps prepared.
func (e *Engine) PreparedStatements() int { return e.stmts.len() }

// SetRankBudget changes how long e may spend scoring one search.
func (e *Engine) SetRankBudget(d time.Duration) { e.rankBudget = d }
