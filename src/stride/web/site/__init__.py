"""The programme's public pages from its profile: contact, team, questions, costs, travel."""
