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

// The main menu folds into a button on small screens (the stylesheet decides below which
// width the button shows). Without JavaScript the menu simply stays open.
function enhanceMenus() {
  document.querySelectorAll(".nav-toggle").forEach(function (button) {
    button.hidden = false;
    button.closest("nav").classList.add("foldable");
  });
}

document.addEventListener("click", function (event) {
  var button = event.target.closest(".nav-toggle");
  if (button) {
    button.setAttribute("aria-expanded", String(button.getAttribute("aria-expanded") !== "true"));
  }
});

document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") {
    return;
  }
  var nav = event.target.closest && event.target.closest("nav.foldable");
  var button = nav && nav.querySelector('.nav-toggle[aria-expanded="true"]');
  if (button && getComputedStyle(button).display !== "none") {
    button.setAttribute("aria-expanded", "false");
    button.focus();
  }
});

// Wide tables scroll inside their own box, never the page. A box that does scroll can be
// reached with the keyboard (the arrow keys then scroll it) and says what it holds.
function tableName(table) {
  var caption = table.querySelector("caption");
  if (caption && caption.textContent.trim()) {
    return caption.textContent.trim();
  }
  for (var el = table.parentElement; el && el.tagName !== "MAIN"; el = el.parentElement) {
    for (var before = el.previousElementSibling; before; before = before.previousElementSibling) {
      var heading = /^H[1-6]$/.test(before.tagName) ? before : before.querySelector("h1, h2, h3");
      if (heading && heading.textContent.trim()) {
        return heading.textContent.trim().replace(/\s+/g, " ");
      }
    }
  }
  return document.title.split("｜")[0];
}

function fitTable(box) {
  var table = box.querySelector("table");
  if (box.scrollWidth > box.clientWidth + 1) {
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", tableName(table) + "（横にスクロールできる表）");
  } else if (box.hasAttribute("role")) {
    box.removeAttribute("tabindex");
    box.removeAttribute("role");
    box.removeAttribute("aria-label");
  }
}

function fitTables(root) {
  (root || document).querySelectorAll("main table").forEach(function (table) {
    if (table.closest(".table-scroll")) {
      return;
    }
    var box = document.createElement("div");
    box.className = "table-scroll";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
  });
  document.querySelectorAll("main .table-scroll").forEach(fitTable);
}

var fitTimer = null;
window.addEventListener("resize", function () {
  clearTimeout(fitTimer);
  fitTimer = setTimeout(function () { fitTables(); }, 100);
});
document.addEventListener("htmx:afterSettle", function (event) {
  fitTables(event.target);
});
document.addEventListener("DOMContentLoaded", function () {
  enhanceMenus();
  fitTables();
});

// A search box inside a form that narrows a list in place (data-no-submit): Enter searches
// at once instead of sending the whole form.
document.addEventListener("keydown", function (event) {
  var box = event.target.closest && event.target.closest("input[data-no-submit]");
  if (box && event.key === "Enter") {
    event.preventDefault();
    if (window.htmx) {
      window.htmx.trigger(box, "search");
    }
  }
});
