"""YouTube link forms the parser must accept (all naming one video) and reject: shared by the parser's
tests and the submit tests."""

from __future__ import annotations

from killrvideo.tests.support import SAMPLE_YOUTUBE_ID

VID = SAMPLE_YOUTUBE_ID

VALID_URLS = [
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtube.com/watch?v=dQw4w9WgXcQ",
    "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://music.youtube.com/watch?v=dQw4w9WgXcQ&feature=share",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG&index=2",
    "https://www.youtube.com/watch?feature=youtu.be&t=10&v=dQw4w9WgXcQ",
    "https://www.youtube.com/watch/?v=dQw4w9WgXcQ",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ#t=1m",
    "https://youtu.be/dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ?si=AbCdEfGh12345678",
    "https://youtu.be/dQw4w9WgXcQ?t=30",
    "youtu.be/dQw4w9WgXcQ",
    "https://www.youtube.com/embed/dQw4w9WgXcQ",
    "https://www.youtube.com/embed/dQw4w9WgXcQ?start=10&autoplay=1",
    "https://www.youtube.com/shorts/dQw4w9WgXcQ",
    "https://youtube.com/shorts/dQw4w9WgXcQ?feature=share",
    "https://www.youtube.com/live/dQw4w9WgXcQ",
    "https://www.youtube.com/live/dQw4w9WgXcQ?si=xyz",
    "https://www.youtube.com/v/dQw4w9WgXcQ",
    "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    "https://youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0",
    "youtube.com/watch?v=dQw4w9WgXcQ",
    "www.youtube.com/watch?v=dQw4w9WgXcQ",
    "//www.youtube.com/watch?v=dQw4w9WgXcQ",
    "  https://www.youtube.com/watch?v=dQw4w9WgXcQ \n",
    "HTTPS://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com:443/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com./watch?v=dQw4w9WgXcQ",
    "youtube.com:443/watch?v=dQw4w9WgXcQ",
]


INVALID_URLS = [
    "http://[",  # an unterminated IPv6 host: urlsplit raises ValueError
    "https://[::1/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com:99999/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ\x00",
    "",
    "   ",
    "dQw4w9WgXcQ",  # a bare id is not a link
    "https://youtube.com.evil.net/watch?v=dQw4w9WgXcQ",
    "https://notyoutube.com/watch?v=dQw4w9WgXcQ",
    "https://evil.net/youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com@evil.net/watch?v=dQw4w9WgXcQ",
    "https://user@www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtu.be.evil.net/dQw4w9WgXcQ",
    "https://vimeo.com/123456789",
    "https://www.youtube.com:8080/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com/watch",
    "https://www.youtube.com/watch?v=",
    "https://www.youtube.com/watch?v=dQw4w9WgXc",  # 10 chars
    "https://www.youtube.com/watch?v=dQw4w9WgXcQQ",  # 12 chars
    "https://www.youtube.com/watch?v=dQw4w9WgX!Q",
    "https://youtu.be/",
    "https://youtu.be/dQw4w9WgXc",
    "https://youtu.be/dQw4w9WgXcQ/extra",
    "https://www.youtube.com/embed/",
    "https://www.youtube.com/embed/videoseries?list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG",
    "https://www.youtube.com/shorts/abc",
    "https://www.youtube.com/playlist?list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG",
    "https://www.youtube.com/channel/UC38IQsAvIsxxjztdMZQtwHA",
    "https://www.youtube.com/@SomeChannel",
    "https://www.youtube.com/c/SomeChannel",
    "https://www.youtube.com/user/dQw4w9WgXcQ",
    "https://www.youtube.com/",
    "https://music.youtube.com/playlist?list=OLAK5uy_abc",
    "https://www.youtube-nocookie.com/watch?v=dQw4w9WgXcQ",
    "javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ",
    "ftp://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "data:text/html,youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&x=" + "a" * 2000,
]
