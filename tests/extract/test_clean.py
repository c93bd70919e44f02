from crawler.extract.clean import clean_body, is_byline


def test_keeps_paragraphs_lists_quotes_subheads():
    html = """<div class="entry-content">
      <p>الفقرة الأولى من الخبر.</p>
      <h3>مطالب الأهالي</h3>
      <ul><li>تأمين المياه</li><li>إصلاح <a href="#">الطرق</a></li></ul>
      <blockquote><p>نريد حلاً عاجلاً.</p></blockquote>
      <blockquote>اقتباس بلا فقرات.</blockquote>
      <p>الفقرة الأخيرة.</p></div>"""
    assert clean_body(html) == ["الفقرة الأولى من الخبر.", "مطالب الأهالي", "تأمين المياه\nإصلاح الطرق",
                                "نريد حلاً عاجلاً.", "اقتباس بلا فقرات.", "الفقرة الأخيرة."]


def test_drops_chrome():
    html = """<div>
      <div class="share-buttons"><a>فيسبوك</a></div>
      <p>نص الخبر الأول.</p>
      <p><strong>اقرأ أيضاً: <a href="/x">عنوان آخر</a></strong></p>
      <p>إقرأ أيضا: خبر ثالث</p>
      <figure><img src="a.jpg"><figcaption>صورة: فرات بوست</figcaption></figure>
      <div class="wp-caption"><img src="b.jpg"><p class="wp-caption-text">تصوير: مراسلنا</p></div>
      <div class="stream-item stream-item-in-post">إعلان</div>
      <script>var a = "نص برمجي";</script><style>p{}</style>
      <div id="related-posts"><h3>مقالات ذات صلة</h3></div>
      <div class="jp-relatedposts">ذات صلة</div><div class="td-related-row">ذات صلة</div>
      <div class="mc4wp-form newsletter">اشترك في النشرة</div>
      <div id="comments"><p>تعليق</p></div>
      <div id="check-also-box"><a id="check-also-close">إغلاق</a></div>
      <p>إغلاق</p>
      <p>نص الخبر الثاني.</p></div>"""
    assert clean_body(html) == ["نص الخبر الأول.", "نص الخبر الثاني."]


def test_br_separated_text_and_loose_text():
    html = "<div>السطر الأول من الخبر.<br><br>السطر الثاني من الخبر.<br>تابع السطر الثاني.</div>"
    assert clean_body(html) == ["السطر الأول من الخبر.", "السطر الثاني من الخبر. تابع السطر الثاني."]


def test_ad_class_does_not_match_inside_words():
    html = '<div><div class="header-area"><p>ليس إعلاناً.</p></div><div class="loaded"><p>فقرة.</p></div></div>'
    assert clean_body(html) == ["ليس إعلاناً.", "فقرة."]


def test_byline_detection():
    for line in ("فرات بوست/أخبار", "خاص فرات بوست _", "البوكمال - فرات بوست:", "خاص - دير الزور 24"):
        assert is_byline(line), line
    for line in ("توقفت محطة المياه عن العمل.", "24/11/2026", "قال أحد السكان إن الوضع صعب جداً في المدينة وريفها"):
        assert not is_byline(line), line


def test_read_also_heading_with_link_list_and_lone_link_paragraphs():
    html = """<div><p>نص الخبر الأول.</p>
      <p><strong>اقرأ أيضاً</strong></p>
      <ul><li><a href="/a">خبر مرتبط أول</a></li><li><a href="/b">خبر مرتبط ثان</a></li></ul>
      <p><a href="/archives/555">مجلس محلي يعلن خطة لتأهيل الطرق الريفية</a></p>
      <p>وقال <a href="/p/x">مدير المحطة</a> إن الإصلاح يحتاج أسبوعاً.</p>
      <ul><li>بند أول</li><li>بند ثان</li></ul></div>"""
    assert clean_body(html) == ["نص الخبر الأول.", "وقال مدير المحطة إن الإصلاح يحتاج أسبوعاً.", "بند أول\nبند ثان"]


def test_chrome_lines_and_gallery_counters():
    html = "<div><p>1 of 6</p><p>إعلان</p><p>Advertisement</p><p>٣ من ١٠ حالات إصابة جديدة سجلت أمس.</p></div>"
    assert clean_body(html) == ["٣ من ١٠ حالات إصابة جديدة سجلت أمس."]


def test_wordpress_taxonomy_classes_are_not_chrome():
    html = ('<div><article class="post-12 post type-post tag-social category-ads status-publish">'
            '<p>نص المقال داخل عنصر يحمل أصناف ووردبريس.</p></article>'
            '<div class="author-box"><p>عن الكاتب</p></div></div>')
    assert clean_body(html) == ["نص المقال داخل عنصر يحمل أصناف ووردبريس."]
