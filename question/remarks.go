package question

// remarks are what the stages have to say besides the request: the notes
// on what was assumed, and the first question to ask back.
type remarks struct {
	notes []string
	// askBack is a question to ask instead of answering, with suggestions.
	askBack     string
	askBackSugg []string
	// periodAsked is set when the question back is which period is meant:
	// no default period is then noted.
	periodAsked bool
}

// ask sets the question to ask back, keeping the first one asked. In the
// question and suggestions, {m} stands for the metric asked about and {p}
// for the period.
func (rm *remarks) ask(q string, suggestions ...string) {
	if rm.askBack == "" {
		rm.askBack, rm.askBackSugg = q, suggestions
	}
}

func (rm *remarks) note(s string) {
	for _, n := range rm.notes {
		if n == s {
			return
		}
	}
	rm.notes = append(rm.notes, s)
}
