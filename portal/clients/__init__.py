"""Client dossiers: status lifecycle, trajecten, journaal, caseload and team overview."""
