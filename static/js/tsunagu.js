// Small behaviours shared by every page. No inline scripts, so a strict CSP can be used.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// Forms that remove something ask first (data-confirm holds the question).
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Formsets: "add a row" copies the <template> of an empty form with the next index; a row's
// 削除 box becomes a button that hides the row (and, for a row not yet saved, removes it).
function formsetRow(row, prefix) {
  var box = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
  if (!box || box.dataset.enhanced) {
    return;
  }
  box.dataset.enhanced = "1";
  box.hidden = true;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button small";
  button.textContent = "この行を削除";
  button.addEventListener("click", function () {
    box.checked = true;
    row.hidden = true;
    updateProgress();
  });
  box.parentNode.appendChild(button);
}

function enhanceFormsets() {
  document.querySelectorAll("[data-formset-body]").forEach(function (body) {
    body.querySelectorAll("[data-formset-row]").forEach(function (row) {
      formsetRow(row, body.dataset.formsetBody);
    });
  });
}

document.addEventListener("click", function (event) {
  var add = event.target.closest("[data-formset-add]");
  if (!add) {
    return;
  }
  var prefix = add.dataset.formsetAdd;
  var total = document.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
  var template = document.querySelector('template[data-formset-template="' + prefix + '"]');
  var body = document.querySelector('[data-formset-body="' + prefix + '"]');
  var index = parseInt(total.value, 10);
  var html = template.innerHTML.replace(/__prefix__/g, String(index));
  body.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  var row = body.lastElementChild;
  formsetRow(row, prefix);
  var first = row.querySelector("select, input:not([type=hidden])");
  if (first) {
    first.focus();
  }
});

// The case form's progress: how many fields of each part hold something.
function updateProgress() {
  document.querySelectorAll("[data-progress-for]").forEach(function (label) {
    var part = document.getElementById(label.dataset.progressFor);
    if (!part) {
      return;
    }
    var fields = Array.prototype.filter.call(
      part.querySelectorAll("input, select, textarea"),
      function (field) {
        var row = field.closest("[data-formset-row]");
        return field.type !== "hidden" && field.type !== "checkbox" && !field.hidden &&
          !(row && row.hidden);
      }
    );
    var filled = fields.filter(function (field) { return field.value.trim() !== ""; }).length;
    label.textContent = "（" + filled + "/" + fields.length + "）";
    label.closest("li").classList.toggle("step-done", fields.length > 0 && filled === fields.length);
  });
}

document.addEventListener("input", updateProgress);
document.addEventListener("change", updateProgress);
document.addEventListener("DOMContentLoaded", function () {
  enhanceFormsets();
  updateProgress();
});
