        .error ""
