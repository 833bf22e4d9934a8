package question

import _ "time/tzdata" // zone data for the tests, whatever the machine has
