package export

// CSVCell makes a value safe to open in a spreadsheet: a cell that starts
// with =, +, -, @, a tab or a carriage return is read by Excel, LibreOffice
// and Google Sheets as a formula (=HYPERLINK(…) sends the reader
// elsewhere), so such a cell gets a leading single quote, as OWASP's "CSV
// Injection" advice says. Quoting the cell (encoding/csv does) is not
// enough: spreadsheets strip the quotes before they look.
func CSVCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
