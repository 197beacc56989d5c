/* The ballot's summary, recounted as one ticks, ranks or gives points: the same figures the
 * server wrote (participation/budgets/views.py, _selection), with the server's words; only the
 * numbers and which warning shows change. Progressive enhancement: without JavaScript the
 * summary shows the figures of the ballot as last sent, and the service judges every ballot. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-ballot-summary]");
  var form = summary && summary.closest("form");
  if (!form) {
    return;
  }
  var rule = summary.dataset.rule;
  var amount = Number(summary.dataset.amount);
  var maxProjects = summary.dataset.maxProjects ? Number(summary.dataset.maxProjects) : null;
  var maxPoints = summary.dataset.maxPoints ? Number(summary.dataset.maxPoints) : null;
  // Written as core.formats writes them: « 18 000 € » in French, « €18,000 » in English (a
  // no-break space in French, not Intl's narrow one).
  var language = document.documentElement.lang || "fr";
  var numbers = new Intl.NumberFormat(language, {maximumFractionDigits: 0});
  var money = new Intl.NumberFormat(language, {
    style: "currency", currency: "EUR", maximumFractionDigits: 0
  });

  function show(name, value) {
    var element = summary.querySelector('[data-figure="' + name + '"]');
    if (element) {
      var format = element.hasAttribute("data-money") ? money : numbers;
      element.textContent = format.format(value).replace(/\u202f/g, "\u00a0");
    }
  }

  function warn(name, on) {
    var element = summary.querySelector('[data-warning="' + name + '"]');
    if (element) {
      element.hidden = !on;
    }
  }

  function recount() {
    var count = 0;
    var spent = 0;
    var points = 0;
    var ranks = {};
    var sameRank = false;
    var projects = form.querySelectorAll("[data-cost]");
    for (var i = 0; i < projects.length; i += 1) {
      var input = projects[i].querySelector("input, select");
      var chosen = false;
      if (rule === "ranked") {
        chosen = input.value !== "";
        sameRank = sameRank || (chosen && ranks[input.value] === true);
        ranks[input.value] = true;
      } else if (rule === "cumulative") {
        var given = parseInt(input.value, 10);
        chosen = given > 0;
        points += chosen ? given : 0;
      } else {
        chosen = input.checked;
      }
      if (chosen) {
        count += 1;
        spent += Number(projects[i].dataset.cost);
      }
    }
    show("count", count);
    show("spent", spent);
    show("left", amount - spent);
    show("points", points);
    if (maxPoints !== null) {
      show("points-left", maxPoints - points);
    }
    warn("over-amount", spent > amount);
    warn("over-count", maxProjects !== null && count > maxProjects);
    warn("over-points", maxPoints !== null && points > maxPoints);
    warn("same-rank", sameRank);
  }

  form.addEventListener("input", recount);
  form.addEventListener("change", recount);
  recount();
})();
