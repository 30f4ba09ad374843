// The console's only script: live progress polling and the campaign "try it" box.
// No framework and nothing fetched from elsewhere: it talks to the server that served the page.
"use strict";

(function () {
  function text(el, value) { if (el) { el.textContent = value; } }

  // Live pages name a progress URL in <body data-live>: poll it, update the fields, reload when done.
  var live = document.body.getAttribute("data-live");
  if (live) {
    var poll = function () {
      fetch(live, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (state) {
        var field = function (name) { return document.querySelector('[data-field="' + name + '"]'); };
        if (state.phase !== undefined) { text(field("phase"), state.phase); }
        if (state.elapsed !== null && state.elapsed !== undefined) { text(field("elapsed"), state.elapsed.toFixed(1) + " s"); }
        if (state.trials) { text(field("trial"), "HPO trial " + state.trial + " of " + state.trials); }
        if (state.live) { setTimeout(poll, 1000); } else { window.location.reload(); }
      }).catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 1000);
  }

  // "Try it": GetRecommendations through the runtime API's own route (POST /recommendations).
  var form = document.getElementById("try");
  if (form) {
    var list = document.getElementById("recommendations");
    var error = document.getElementById("try-error");
    var recommend = function () {
      var body = { campaignArn: form.getAttribute("data-campaign"), userId: form.elements.userId.value,
                   numResults: parseInt(form.elements.numResults.value, 10) || 10 };
      text(error, "");
      list.replaceChildren();
      fetch("/recommendations", { method: "POST", headers: { "content-type": "application/json" },
                                  body: JSON.stringify(body) })
        .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
        .then(function (result) {
          if (!result.ok) { text(error, result.data.__type + ": " + result.data.message); return; }
          result.data.itemList.forEach(function (item) {
            var li = document.createElement("li");
            li.textContent = item.itemId + (item.score !== undefined ? "  (score " + item.score.toFixed(4) + ")" : "");
            list.appendChild(li);
          });
          list.setAttribute("data-for", body.userId);
        })
        .catch(function (e) { text(error, String(e)); });
    };
    form.addEventListener("submit", function (event) { event.preventDefault(); recommend(); });
    // ?user=ID fills the box and asks at once (a link to share, and what the browser test loads).
    var user = new URLSearchParams(window.location.search).get("user");
    if (user) { form.elements.userId.value = user; recommend(); }
  }
})();
