"""The QSEC² collaborative website (Django): public pages, partners' back office, content feeds."""
