package search

// PreparedStatements returns how many statements e keeps prepared.
func (e *Engine) PreparedStatements() int { return e.stmts.len() }
