"""rasad: crawl Syrian news outlets, keep each article once, alert on Deir ez-Zor."""
__version__ = "0.1.0"
