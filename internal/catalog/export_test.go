package catalog

import "database/sql"

// DB returns c's database handle, for tests that check what is stored.
func (c *Catalog) DB() *sql.DB { return c.db }

// PreparedStatements returns how many statements x keeps prepared.
func (x *Index) PreparedStatements() int { return x.stmts.len() }
