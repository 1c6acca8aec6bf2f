"""Authored HTML in the shapes current Discourse (`cooked`) and MediaWiki 1.45 (`action=parse`) send
(see ../shared/notes/web-shapes.md); written for these tests, not recorded."""
# ruff: noqa: E501  (HTML kept in the long lines the services send)

QUOTED_REPLY = ('<aside class="quote no-group" data-username="alice" data-post="1" data-topic="41001">\n'
                '<div class="title">\n<div class="quote-controls"></div>\n'
                '<img loading="lazy" alt="" width="24" height="24" src="/user_avatar/alice/48/1_2.png" class="avatar"> alice:</div>\n'
                '<blockquote>\n<p>nginx says <code>bind() failed</code></p>\n</blockquote>\n</aside>\n'
                '<p>Port 80 is taken by another service; stop it first.</p>')
NESTED = ('<aside class="quote" data-username="bob" data-post="4" data-topic="41001"><div class="title">bob:</div>'
          '<blockquote><aside class="quote" data-username="alice" data-post="2" data-topic="41001">'
          '<div class="title">alice:</div><blockquote><p>Is it the firewall?</p></blockquote></aside>'
          '<p>No, the port.</p></blockquote></aside><p>Agreed with both.</p>')
ONEBOX = ('<p>The module is here:</p>\n<aside class="onebox githubblob" data-onebox-src="https://github.com/NixOS/nixpkgs/blob/'
          'master/nixos/modules/services/web-servers/nginx/default.nix">\n<header class="source">\n'
          '<a href="https://github.com/NixOS/nixpkgs/blob/master/nixos/modules/services/web-servers/nginx/default.nix" '
          'target="_blank" rel="noopener">github.com</a>\n</header>\n<article class="onebox-body">\n'
          '<h4><a href="https://github.com/NixOS/nixpkgs/blob/master/nixos/modules/services/web-servers/nginx/default.nix" '
          'target="_blank" rel="noopener">NixOS/nixpkgs/blob/master/nixos/modules/services/web-servers/nginx/default.nix'
          '</a></h4>\n<pre class="onebox"><code class="lang-nix"><ol class="start lines" start="1" style="counter-reset: li-counter 0 ;">'
          '<li>{ config, lib, pkgs, ... }:</li></ol></code></pre>\n</article>\n<div class="onebox-metadata"></div>\n'
          '<div style="clear: both"></div>\n</aside>')
LIGHTBOX = ('<p>It looks like this:</p>\n<p><div class="lightbox-wrapper"><a class="lightbox" href="https://discourse.example/'
            'uploads/default/original/2X/a/abc.png" data-download-href="/uploads/default/abc" title="image">'
            '<img src="https://discourse.example/uploads/default/optimized/2X/a/abc_2_690x388.png" alt="image" '
            'data-base62-sha1="abc" width="690" height="388"><div class="meta"><svg class="fa d-icon d-icon-far-image '
            'svg-icon" aria-hidden="true"><use href="#far-image"></use></svg><span class="filename">image</span>'
            '<span class="informations">1920×1080 212 KB</span><svg class="fa d-icon d-icon-discourse-expand svg-icon" '
            'aria-hidden="true"><use href="#discourse-expand"></use></svg></div></a></div></p>')
NIX_BLOCK = ('<p>Put this in <code>configuration.nix</code>:</p>\n<pre data-code-wrap="nix"><code class="lang-nix">'
             '{ pkgs, ... }:\n{\n  services.nginx = {\n    enable = true;\n    virtualHosts."example.org".root = "/srv/www";\n'
             '  };\n}\n</code></pre>\n<p>then run <code>nixos-rebuild switch</code> <img src="/images/emoji/twitter/+1.png?v=12" '
             'title=":+1:" class="emoji" alt=":+1:" loading="lazy" width="20" height="20">, thanks '
             '<a class="mention" href="/u/bob">@bob</a>.</p>')
DETAILS = ('<details>\n<summary>\nFull error</summary>\n<pre><code class="lang-plaintext">error: builder for '
           '\'/nix/store/abc-hello.drv\' failed\n       last 3 log lines:\n       &gt; make: *** No rule</code></pre>\n'
           '</details>')
WIKI_PAGE = (
    '<div class="mw-content-ltr mw-parser-output" lang="en" dir="ltr">'
    '<div class="mw-pt-languages noprint navigation-not-searchable" lang="en" dir="ltr">'
    '<div class="mw-pt-languages-label">Other languages:</div><ul class="mw-pt-languages-list">'
    '<li><a href="/wiki/Nginx/de" class="mw-pt-progress mw-pt-progress--complete" lang="de">Deutsch</a></li>'
    '<li><span class="mw-pt-languages-selected mw-pt-progress mw-pt-progress--complete" lang="en">English</span></li>'
    '<li><a href="/wiki/Nginx/ja" lang="ja">日本語</a></li></ul></div>\n'
    '<table class="infobox"><tbody><tr><th>Nginx</th></tr><tr><td>Web server</td></tr></tbody></table>\n'
    '<p><!--T:1--> <a href="https://nginx.org">Nginx</a> is a web server and reverse proxy'
    '<sup id="cite_ref-1" class="reference"><a href="#cite_note-1"><span class="cite-bracket">[</span>1'
    '<span class="cite-bracket">]</span></a></sup>. See also <a href="/wiki/Caddy" title="Caddy">Caddy</a>.</p>\n'
    '<div class="mw-heading mw-heading2"><h2 id="Setup"><!--T:2--> Setup</h2>'
    '<span class="mw-editsection"><span class="mw-editsection-bracket">[</span><a href="/w/index.php?title=Nginx'
    '&amp;action=edit&amp;section=1">edit</a><span class="mw-editsection-bracket">]</span></span></div>\n'
    '<p>&lt;translate&gt;Enable the service in <code>/etc/nixos/configuration.nix</code>:&lt;/translate&gt;</p>\n'
    '<div class="file-template"><div class="file-template-header">≡︎ /etc/nixos/configuration.nix</div>'
    '<div class="mw-highlight mw-highlight-lang-nix mw-content-ltr" dir="ltr"><pre><span></span>'
    '<span class="n">services</span><span class="o">.</span><span class="n">nginx</span><span class="w"> </span>'
    '<span class="o">=</span><span class="w"> </span><span class="p">{</span>\n'
    '<span class="w">  </span><span class="n">enable</span><span class="w"> </span><span class="o">=</span>'
    '<span class="w"> </span><span class="no">true</span><span class="p">;</span>\n'
    '<span class="p">};</span>\n</pre></div></div>\n'
    '<div class="navbox"><table><tr><td>Web servers: Apache · Caddy · Nginx</td></tr></table></div>\n'
    '<div class="mw-references-wrap"><ol class="references"><li id="cite_note-1"><span class="mw-cite-backlink">'
    '<a href="#cite_ref-1">↑</a></span> <span class="reference-text">nginx.org</span></li></ol></div>\n'
    '<!-- \nNewPP limit report\nParsed by mw-web.eqiad\nCached time: 20261120\nCPU time usage: 0.031 seconds\n'
    'Transclusion expansion time report (%,ms,calls,template)\n100.00%    2.104      1 -total\n-->\n</div>')
