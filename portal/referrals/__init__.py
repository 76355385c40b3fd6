"""Aanmeldingen and signalen from partners and the team, triaged by procesregie."""
