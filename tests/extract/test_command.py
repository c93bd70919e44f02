import gzip
import json

from crawler.extract.command import main

from ._util import PAGES


def test_single_file_one_json_object(capsys):
    assert main([str(PAGES / "jannah-01.html"), "--url", "https://www.geiroon.net/archives/101", "--explain"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["family"] == "jannah" and data["post_id"] == "101"
    assert "provenance" in data and data["sources"] == ["فرات بوست"]


def test_several_files_json_lines_with_errors(tmp_path, capsys):
    gz = tmp_path / "voice.html.gz"
    gz.write_bytes(gzip.compress((PAGES / "voice-01.html").read_bytes()))
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    code = main([str(PAGES / "sahifa-01.html"), str(gz), str(empty), str(tmp_path / "missing.html")])
    assert code == 1
    lines = [json.loads(l) for l in capsys.readouterr().out.splitlines()]
    assert len(lines) == 4
    assert lines[0]["file"].endswith("sahifa-01.html") and lines[0]["family"] == "sahifa"
    assert "provenance" not in lines[0]
    assert lines[1]["family"] == "voice"
    assert "error" in lines[2] and "ExtractionError" in lines[2]["error"]
    assert "error" in lines[3]


def test_url_argument_is_fetched(capsys):
    import http.server
    import threading

    page = (PAGES / "legacy-cp1256-01.html").read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=windows-1256")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/?p=3001"
        assert main([url]) == 0
    finally:
        server.shutdown()
        server.server_close()
    data = json.loads(capsys.readouterr().out)
    assert data["url"] == url and data["post_id"] == "3001" and data["family"] == "sahifa"
    assert not any(w.startswith("encoding") for w in data["warnings"])  # header charset was right
    assert "canonical_url ignored: https://sana.sy/?p=3001" in data["warnings"]  # other host
