/*
 * 长者模式 and 朗读, entirely in the browser.
 *
 * The server sends the same bytes to every visitor (pages stay cacheable: no cookie,
 * no Vary), so the choice lives in localStorage. A one-line script in <head> applies
 * the `elder` class before the first paint; this deferred file wires the buttons:
 *   [data-elder-toggle]      a <button aria-pressed> switching the class on <html>;
 *   [data-read-aloud="id"]   a hidden <button> shown only where speechSynthesis exists,
 *                            reading the element with that id (minus [data-no-read]) in zh-CN.
 * The storage key must match the inline script of themes/base.html.
 */
(function () {
  "use strict";

  var KEY = "govsite-elder";
  var root = document.documentElement;

  function remember(on) {
    try {
      if (on) {
        localStorage.setItem(KEY, "1");
      } else {
        localStorage.removeItem(KEY);
      }
    } catch (e) {
      /* Private browsing may refuse storage: the mode then lasts for this page only. */
    }
  }

  function show(on) {
    root.classList.toggle("elder", on);
    document.querySelectorAll("[data-elder-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  document.querySelectorAll("[data-elder-toggle]").forEach(function (button) {
    button.addEventListener("click", function () {
      var on = !root.classList.contains("elder");
      remember(on);
      show(on);
    });
  });
  show(root.classList.contains("elder"));

  /* Another tab of the same site switched: follow it. */
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) {
      show(event.newValue === "1");
    }
  });

  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }

  /* Engines cut off long utterances: speak sentence by sentence, in pieces of ≤ 200 characters. */
  function pieces(text) {
    var sentences = text.replace(/\s+/g, " ").match(/[^。！？；!?;]+[。！？；!?;]?/g) || [];
    var out = [];
    sentences.forEach(function (sentence) {
      for (var i = 0; i < sentence.length; i += 200) {
        var piece = sentence.slice(i, i + 200).trim();
        if (piece) {
          out.push(piece);
        }
      }
    });
    return out;
  }

  function readableText(target) {
    var copy = target.cloneNode(true);
    copy.querySelectorAll("[data-no-read]").forEach(function (node) {
      node.remove();
    });
    return copy.textContent;
  }

  function chineseVoice() {
    return synth.getVoices().filter(function (voice) {
      return /^zh[-_]CN/i.test(voice.lang);
    })[0] || null;
  }

  document.querySelectorAll("[data-read-aloud]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-read-aloud"));
    if (!target) {
      return;
    }
    button.hidden = false;

    function stopped() {
      button.setAttribute("aria-pressed", "false");
    }

    button.addEventListener("click", function () {
      if (button.getAttribute("aria-pressed") === "true") {
        synth.cancel();
        stopped();
        return;
      }
      var parts = pieces(readableText(target));
      var voice = chineseVoice();
      parts.forEach(function (text, index) {
        var utterance = new window.SpeechSynthesisUtterance(text);
        utterance.lang = "zh-CN";
        if (voice) {
          utterance.voice = voice;
        }
        if (index === parts.length - 1) {
          utterance.onend = stopped;
        }
        utterance.onerror = stopped;
        synth.speak(utterance);
      });
      button.setAttribute("aria-pressed", parts.length ? "true" : "false");
    });
  });

  /* Leaving the page must not leave the browser talking. */
  window.addEventListener("pagehide", function () {
    synth.cancel();
  });
})();
