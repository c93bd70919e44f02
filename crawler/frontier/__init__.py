"""The shared crawl frontier for several machines (`rasad worker`, `rasad run --distributed`).

Built on scrapy-redis: its Scheduler holds the requests in Redis and its dupefilter the
fingerprints. rasad adds what running unattended on several hosts needs:

- ``queue.FrontierQueue`` (a scrapy-redis queue class): a request taken by a worker is leased,
  not deleted; the worker renews its leases while it lives and acknowledges a request only
  after its callback's output (items stored, follow-up requests queued) is done. A worker that
  dies (SIGKILL, power loss) stops renewing, and its requests go back to the queue for the
  others when the lease runs out.
- ``queue.ExpiringDupeFilter`` (a scrapy-redis dupefilter): fingerprints live in time buckets
  that expire, so a page can be fetched again later; discovery pages are deduplicated within
  one crawl run only (they are re-polled every run).
- ``runs``: a crawl run of one outlet spans workers. Redis keeps its pending-request count
  and its counters; the scheduler that seeded the run records it in ``crawl_runs`` when the
  count reaches zero.
- ``spider.FrontierSpider``: one spider for every outlet, running the WordPress navigation
  of spiders/wordpress.py with each request's outlet and run carried in its meta.
"""
