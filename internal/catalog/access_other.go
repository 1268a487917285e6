//go:build !unix

package catalog

// writable reports whether this process may create files in dir: assumed
// so where access(2) is not available.
func writable(string) bool { return true }
