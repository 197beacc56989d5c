/* Conditional questions: a question asked only when an earlier one was answered with a given
 * choice (data-condition-question: that question's field name, data-condition-option: the
 * choice) shows as soon as that choice is ticked and hides when it is not. Progressive
 * enhancement: without JavaScript every question shows, with its condition in words. The
 * service stays the judge: it ignores the answer to a question whose condition does not hold
 * and requires it only when it does (surveys.services.validate_answers). */
(function () {
  "use strict";
  var first = document.querySelector(".survey-question[data-condition-question]");
  var form = first && first.closest("form");
  if (!form) {
    return;
  }

  function chosen(name, value) {
    var inputs = form.querySelectorAll('input[name="' + name + '"]');
    for (var i = 0; i < inputs.length; i += 1) {
      if (inputs[i].value === value && inputs[i].checked) {
        return true;
      }
    }
    return false;
  }

  function update() {
    // In the page's order: a condition names an earlier question, so whether that question
    // shows is settled before the questions that depend on it (a hidden question's answer
    // does not count, as on the server).
    var blocks = form.querySelectorAll(".survey-question[data-condition-question]");
    for (var i = 0; i < blocks.length; i += 1) {
      var block = blocks[i];
      var name = block.dataset.conditionQuestion;
      var earlier = document.getElementById(name + "-block");
      block.hidden = !(earlier && !earlier.hidden && chosen(name, block.dataset.conditionOption));
    }
  }

  form.addEventListener("change", update);
  update();
})();
