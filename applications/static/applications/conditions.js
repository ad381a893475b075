// Progressive enhancement: hide fields whose "show if" condition does not hold. The server
// evaluates the same conditions, so the form works without this script.
(function () {
  var node = document.getElementById("show-if-conditions");
  if (!node) return;
  var conditions = JSON.parse(node.textContent);
  function value(id) {
    var checked = document.querySelector('input[name="' + id + '"]:checked');
    if (checked) return checked.value === "true" ? true : checked.value === "false" ? false : checked.value;
    var input = document.querySelector('[name="' + id + '"]');
    return input && input.type !== "radio" ? input.value : null;
  }
  function holds(c) {
    if (c.all) return c.all.every(holds);
    if (c.any) return c.any.some(holds);
    if (c.not) return !holds(c.not);
    var v = value(c.field);
    if (v === null) return true; // a field of another step: leave it to the server
    switch (c.op) {
      case "true": return v === true;
      case "false": return v !== true;
      case "empty": return v === "" || v === false;
      case "not_empty": return !(v === "" || v === false);
      case "eq": return String(v) === String(c.value);
      case "ne": return String(v) !== String(c.value);
      case "in": return c.value.map(String).indexOf(String(v)) >= 0;
      case "not_in": return c.value.map(String).indexOf(String(v)) < 0;
      case "gt": return Number(v) > Number(c.value);
      case "ge": return Number(v) >= Number(c.value);
      case "lt": return Number(v) < Number(c.value);
      case "le": return Number(v) <= Number(c.value);
    }
    return true;
  }
  function update() {
    Object.keys(conditions).forEach(function (id) {
      var box = document.getElementById(id.indexOf("group-") === 0 ? id : "field-" + id);
      if (box) box.hidden = !holds(conditions[id]);
    });
  }
  document.addEventListener("change", update);
  update();
})();
