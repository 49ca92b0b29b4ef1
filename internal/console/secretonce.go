package console

// secretView is a client secret or registration key the directory just
// made: the "secret" partial shows it once, with a copy button. The page
// that shows it is the answer to the POST that made it, never a redirect,
// so the secret is in no URL, cookie or flash; the console's responses
// are all Cache-Control: no-store, so the browser keeps no copy either.
type secretView struct{ Label, Value string }
