"""Open data of the public site: the CSV of the library's results, the RSS feed, the sitemap.

Everything here reads published cases only (docs/domain.md §3): never a case in 公示, a draft or a
revoked case, and never a contact detail.
"""
