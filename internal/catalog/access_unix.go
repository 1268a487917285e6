//go:build unix

package catalog

import "syscall"

// writable reports whether this process may create files in dir.
func writable(dir string) bool {
	const wOK = 2 // access(2)'s W_OK
	return syscall.Access(dir, wOK) == nil
}
