/* Count this page view (analytics): one POST without cookies to the site's own /_count/<page>/.
   Nothing identifies the visitor; browsers asking not to be tracked (Do Not Track, Global
   Privacy Control) are not counted. The page's id is on <html data-page-id>. */
(function (d, n) {
  var id = d.documentElement.getAttribute("data-page-id");
  if (!id || n.doNotTrack === "1" || window.doNotTrack === "1" || n.globalPrivacyControl) return;
  var url = "/_count/" + id + "/";
  if (window.fetch) {
    fetch(url, { method: "POST", credentials: "omit", keepalive: true, mode: "same-origin" }).catch(function () {});
  } else if (n.sendBeacon) {
    n.sendBeacon(url);
  }
})(document, navigator);
