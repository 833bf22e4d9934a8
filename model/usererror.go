package model

// UserError is an error that carries what to tell the person who asked, in
// plain words: no internals, and nothing they may not see. Err is the cause,
// for logs and errors.Is; Error returns the cause's text, so wrapping an
// error in a UserError changes no log line.
type UserError struct {
	Msg string // a sentence for the asker
	Err error  // the cause
}

// Tell returns err carrying msg for the asker.
func Tell(msg string, err error) error { return &UserError{Msg: msg, Err: err} }

func (e *UserError) Error() string {
	if e.Err == nil {
		return e.Msg
	}
	return e.Err.Error()
}

func (e *UserError) Unwrap() error { return e.Err }
