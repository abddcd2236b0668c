// The tests' "now": one date for every test that checks validity, so fixtures and expectations
// agree. Fixtures are generated around it (valid from a year before to years after).
export const NOW: Date = new Date(Date.UTC(2025, 5, 1));
