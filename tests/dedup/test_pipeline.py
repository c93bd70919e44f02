"""StoryPipeline in a real crawl of the saved-style outlet copies (`rasad crawl` in a subprocess)."""
from __future__ import annotations

from sqlalchemy import select

from conftest import write_config
from storage import Store
from storage.models import ArticleRow, CrawlRunRow
from storage.stories import StoryService


def test_crawl_assigns_every_stored_article_a_story_and_counts_it(serve, rasad, tmp_path):
    servers = {"geiroon": serve("geiroon"), "sharqsouri": serve("sharqsouri")}
    config = write_config(tmp_path / "rasad.toml", servers)
    db = f"sqlite:///{tmp_path / 'rasad.db'}"
    result = rasad("crawl", "geiroon", "sharqsouri", config=config, db=db, env={"REDIS_URL": ""})
    assert result.returncode == 0, result.stderr[-3000:]
    store = Store(db)
    with store.session() as s:
        story_ids = s.scalars(select(ArticleRow.story_id)).all()
        runs = s.scalars(select(CrawlRunRow)).all()
    assert story_ids and all(story_ids)
    stories = StoryService(store)
    counted = sum(r.counts.get("rasad/stories/new", 0) for r in runs)
    joined = sum(r.counts.get("rasad/stories/joined", 0) for r in runs)
    assert counted == stories.count() and counted + joined == len(story_ids)
    assert not any(r.counts.get("rasad/stories/errors") for r in runs)
    # Al-Sharq al-Souri rewrote Geiroon's report on the coalition repelling a regime advance
    by_url = {a.url.split("/", 3)[3]: a for a in store.iter_articles()}
    geiroon = by_url["archives/175204"]
    sharq = by_url["2026/11/23/coalition-repels-regime-advance-deir-ezzor/"]
    story = stories.story_of(geiroon.id)
    assert {m.article_id for m in story.articles} == {geiroon.id, sharq.id} and joined == 1
    assert story.lead_article_id == min((geiroon, sharq), key=lambda a: (a.first_seen_at, a.id)).id

    # a second crawl stores nothing new and founds no story
    again = rasad("crawl", "geiroon", "sharqsouri", config=config, db=db, env={"REDIS_URL": ""})
    assert again.returncode == 0, again.stderr[-3000:]
    with store.session() as s:
        latest = s.scalars(select(CrawlRunRow).order_by(CrawlRunRow.id.desc()).limit(2)).all()
    assert all(not r.counts.get("rasad/stories/new") for r in latest)
    assert stories.count() == counted
