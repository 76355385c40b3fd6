"""Real-browser journeys through the portal (Playwright on headless Chromium)."""
