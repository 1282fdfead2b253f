"""The governance pages: short functions, each access → form → service → redirect or render.

Decisions and the register (`decisions`), lifecycle steps (`lifecycle`), sign-off (`signoffs`), challenge
(`challenges`), declarations of interest (`interests`) and the public page (`public`); the risk register
(`risks`, `risk_settings`).
"""
