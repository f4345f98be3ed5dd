(function () {
  var box = document.getElementById("filter");
  var table = document.getElementById("matrix");
  if (!box || !table) { return; }
  box.parentNode.parentNode.hidden = false;
  box.addEventListener("input", function () {
    var q = box.value.trim().toLowerCase();
    var rows = table.tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) {
      var text = rows[i].cells[0].textContent.toLowerCase();
      rows[i].hidden = q !== "" && text.indexOf(q) < 0;
    }
  });
})();
