package excerpt

import "testing"

func TestCuts(t *testing.T) {
	for _, c := range []struct {
		name, got, want string
	}{
		{"short prefix", Prefix("abc", 5), "abc"},
		{"prefix inside é", Prefix("aé", 2), "a"},
		{"prefix of an emoji", Prefix("😀x", 3), ""},
		{"bytes", Bytes("abcdef", 3), "abc…"},
		{"bytes inside ü", Bytes("aüb", 2), "a…"},
		{"bytes short", Bytes("ab", 3), "ab"},
		{"words", Words("the quick brown fox", 12), "the quick…"},
		{"words drop punctuation", Words("one, two, three", 10), "one, two…"},
		{"words one long word", Words("ééééé", 5), "éé…"},
		{"words short", Words("short", 40), "short"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
}
